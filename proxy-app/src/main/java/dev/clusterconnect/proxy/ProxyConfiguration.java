package dev.clusterconnect.proxy;

import dev.clusterconnect.proxy.token.TokenSource;
import dev.clusterconnect.routes.component.kubeclient.Upstream;
import dev.clusterconnect.routes.config.Secrets;
import dev.clusterconnect.routes.config.Settings;
import dev.clusterconnect.routes.tls.TlsContexts;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/** Binds the proxy's beans and writes the kubeconfig that points kubectl at it. */
public final class ProxyConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) {
        Settings settings = Settings.of(context);
        String relayUrl = settings.required("proxy.relay.url");
        Optional<Path> relayCa = settings.file("proxy.relay.ca-file");
        // The CLI binds a token source of its own (device code, command, GitHub Actions, ...);
        // run from properties alone, the proxy reads the token from a file.
        TokenSource cliSource = context.getRegistry().lookupByNameAndType("userTokenSource", TokenSource.class);
        Optional<Path> tokenFile = settings.file("proxy.token-file");
        if (cliSource == null && settings.optional("proxy.token-file").isEmpty()) {
            settings.problem("proxy.token-file is required (a file holding your token)");
        }
        Path stateDir =
                Path.of(settings.get("proxy.state-dir", System.getProperty("user.home") + "/.config/clusterconnect"));
        settings.deadline("proxy.relay.response-head-timeout", Duration.ofSeconds(90));
        java.util.Map<String, Integer> clusterPorts = java.util.Map.of();
        try {
            clusterPorts = ClusterOfPort.parse(settings.get("proxy.cluster-ports", ""));
        } catch (IllegalArgumentException e) {
            settings.problem(e.getMessage());
        }
        String cluster = settings.get("proxy.cluster", "");
        if (!cluster.isEmpty() && !clusterPorts.containsKey(cluster)) {
            // the cluster whose kubeconfig is written needs a port of its own: the one after the
            // proxy's (a free one when that is 0), as clusterconnect proxy gives its first cluster
            int listen = settings.integer("proxy.listen.port", 47011);
            String ports = settings.get("proxy.cluster-ports", "").strip();
            context.getPropertiesComponent()
                    .addOverrideProperty(
                            "proxy.cluster-ports",
                            (ports.isEmpty() ? "" : ports + ",") + cluster + "=" + (listen == 0 ? 0 : listen + 1));
        }
        settings.validate("proxy");

        LocalEndpointTls local = LocalEndpointTls.inDirectory(stateDir);
        Supplier<String> token =
                cliSource != null ? () -> cliSource.token().value() : Secrets.fromFile(tokenFile.orElseThrow());
        // A token file is read in place (small, local); a CLI source's token is at hand while its cache is fresh.
        Supplier<Optional<String>> atHand = cliSource != null
                ? () -> cliSource.tokenAtHand().map(dev.clusterconnect.proxy.token.Token::value)
                : () -> Optional.of(token.get());
        context.getRegistry().bind("localTls", TlsContexts.server(local.server()));
        context.getRegistry().bind("localCaPem", local.caPem());
        context.getRegistry()
                .bind("relay", Upstream.of(URI.create(relayUrl), TlsContexts.client(relayCa.orElse(null))));
        java.util.List<java.security.cert.X509Certificate> trust = relayCa.map(
                        dev.clusterconnect.routes.tls.PemFiles::readCertificates)
                .orElse(java.util.List.of());
        RelayProbe relayProbe =
                new RelayProbe(URI.create(relayUrl), dev.clusterconnect.routes.tls.JdkTls.trusting(trust));
        context.getRegistry().bind("readiness", (java.util.function.BooleanSupplier) relayProbe::answers);
        context.getRegistry().bind("relayClusterNames", (Supplier<java.util.Map<String, String>>)
                () -> relayProbe.clusterNames(token.get()));
        context.getRegistry().bind("localToken", local.localToken());
        // Refreshes wait on the identity provider or a credential command: on threads of their own, off the loop.
        java.util.concurrent.ExecutorService tokenThreads =
                context.getExecutorServiceManager().newFixedThreadPool(this, "proxy-token", 2);
        context.getRegistry().bind("userToken", new UserToken(local.localToken(), atHand, token, tokenThreads));
        context.getRegistry().bind("clusterOfPort", new ClusterOfPort());
        // the relay adopts this id, so the proxy's, relay's and agent's lines share it
        context.getRegistry().bind("stampRequestId", (org.apache.camel.Processor)
                exchange -> dev.clusterconnect.routes.http.RequestIds.stamp(
                        exchange.getMessage().getBody(dev.clusterconnect.routes.http.HttpCall.class)));
        // The proxy holds no tunnel: what it keeps open per request is the local client's connection.
        dev.clusterconnect.routes.metrics.Metrics.gauge(
                "clusterconnect_connections_open",
                "Client connections open at the proxy",
                "proxy-local",
                () -> ProxyApplication.openConnections(context));
    }
}
