package dev.clusterconnect.proxy;

import dev.clusterconnect.proxy.kubeconfig.BearerTokenCredential;
import dev.clusterconnect.proxy.kubeconfig.KubeconfigEntry;
import dev.clusterconnect.proxy.kubeconfig.StandaloneKubeconfig;
import dev.clusterconnect.routes.config.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Once the local endpoint is listening, writes the kubeconfig that points kubectl at it (server
 * {@code https://127.0.0.1:<the cluster's port>}, the local CA, the local token) and says
 * which command to run.
 */
final class KubeconfigWriter extends MainListenerSupport {

    private static final Logger LOG = LoggerFactory.getLogger(KubeconfigWriter.class);

    @Override
    public void afterStart(BaseMainSupport main) {
        CamelContext context = main.getCamelContext();
        Settings settings = Settings.of(context);
        String cluster = settings.get("proxy.cluster", "");
        String file = settings.get("proxy.kubeconfig-file", "");
        if (cluster.isEmpty() || file.isEmpty()) {
            return;
        }
        Integer port = ProxyApplication.clusterPorts(context).get(cluster);
        if (port == null) {
            throw new IllegalStateException("no route listens on the port of cluster " + cluster
                    + " (proxy.cluster-ports): a route file replaced proxy-local with one without namedPorts");
        }
        String host = settings.get("proxy.listen.host", "127.0.0.1");
        String server = "https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        String caPem = context.getRegistry().lookupByNameAndType("localCaPem", String.class);
        String token = context.getRegistry().lookupByNameAndType("localToken", String.class);
        try {
            @SuppressWarnings("unchecked")
            java.util.function.Supplier<java.util.Map<String, String>> names =
                    context.getRegistry().lookupByNameAndType("relayClusterNames", java.util.function.Supplier.class);
            String name = dev.clusterconnect.proxy.kubeconfig.ContextNames.of(
                            names == null ? java.util.Map.of() : names.get(), java.util.List.of(cluster))
                    .get(cluster);
            StandaloneKubeconfig.write(
                    Path.of(file),
                    KubeconfigEntry.named(name, URI.create(server), caPem, new BearerTokenCredential(token)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        LOG.info("kubeconfig for cluster {} written to {}; try: kubectl --kubeconfig {} get pods", cluster, file, file);
    }
}
