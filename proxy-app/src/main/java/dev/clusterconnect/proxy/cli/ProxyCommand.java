package dev.clusterconnect.proxy.cli;

import dev.clusterconnect.proxy.ProxyApplication;
import dev.clusterconnect.proxy.files.ClientDirectories;
import dev.clusterconnect.proxy.kubeconfig.BearerTokenCredential;
import dev.clusterconnect.proxy.kubeconfig.KubeconfigEntry;
import dev.clusterconnect.proxy.kubeconfig.KubeconfigFile;
import dev.clusterconnect.proxy.kubeconfig.KubeconfigLocator;
import dev.clusterconnect.proxy.token.TokenException;
import dev.clusterconnect.proxy.token.TokenSource;
import java.net.BindException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.camel.main.Main;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The local proxy: one HTTPS endpoint on 127.0.0.1 for any number of clusters, one kubeconfig
 * context each, the user's token refreshed ahead of expiry (open watches, exec sessions and
 * port-forwards keep going: the token is only read when a request starts).
 */
@Command(
        name = "proxy",
        mixinStandardHelpOptions = true,
        description = "Serve kubectl on 127.0.0.1 and forward to the relay; adds a kubeconfig context per cluster.")
final class ProxyCommand implements Callable<Integer> {

    @Option(
            names = "--cluster",
            required = true,
            paramLabel = "ID",
            description = "A cluster to serve (repeat for several).")
    List<String> clusters;

    @Option(names = "--port", defaultValue = "47011", description = "Local port (default ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = "--file",
            paramLabel = "FILE",
            description = "The kubeconfig to change (default: first of $KUBECONFIG, else ~/.kube/config).")
    Path file;

    @Option(names = "--no-set-current", description = "Do not make the first cluster's context the current one.")
    boolean noSetCurrent;

    @Mixin
    RelayOptions relay;

    @Mixin
    TokenOptions tokens;

    /** Set by tests to stop a running proxy; the command otherwise runs until Ctrl-C. */
    static volatile CountDownLatch stop;

    @Override
    public Integer call() throws Exception {
        URI relayUri = relay.relayUri();
        TokenSource source = tokens.source();
        try {
            source.token();
        } catch (TokenException e) {
            throw new CliException(ExitCode.AUTH, "no token: " + e.getMessage());
        }
        Main main = ProxyApplication.create();
        main.addOverrideProperty("proxy.listen.port", String.valueOf(port));
        main.addOverrideProperty("proxy.relay.url", relayUri.toString());
        main.addOverrideProperty(
                "proxy.relay.ca-file",
                relay.relayCa == null ? "" : relay.relayCa.toAbsolutePath().toString());
        main.addOverrideProperty(
                "proxy.state-dir", ClientDirectories.current().config().toString());
        main.bind("userTokenSource", source);
        start(main);
        CountDownLatch done = stop != null ? stop : new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(done::countDown, "clusterconnect-shutdown"));
        try {
            int bound = ProxyApplication.localPort(main.getCamelContext());
            writeContexts(main, bound);
            System.out.printf("serving %s on https://127.0.0.1:%d; Ctrl-C stops%n", String.join(", ", clusters), bound);
            done.await();
        } finally {
            main.stop();
        }
        return ExitCode.OK;
    }

    private void start(Main main) {
        try {
            main.start();
        } catch (RuntimeException e) {
            if (causedByBind(e)) {
                String owner =
                        PortOwner.describe(port).map(o -> ", held by " + o).orElse("");
                throw new CliException(
                        ExitCode.PORT_IN_USE,
                        "port " + port + " on 127.0.0.1 is in use" + owner
                                + " (another clusterconnect proxy? one proxy serves several clusters: add --cluster to it, or pick --port)");
            }
            throw e;
        }
    }

    private void writeContexts(Main main, int bound) throws java.io.IOException {
        String caPem = main.getCamelContext().getRegistry().lookupByNameAndType("localCaPem", String.class);
        String localToken = main.getCamelContext().getRegistry().lookupByNameAndType("localToken", String.class);
        Path target = KubeconfigLocator.locate(file);
        KubeconfigFile kubeconfig = new KubeconfigFile(target);
        boolean first = true;
        for (String cluster : clusters) {
            URI server = URI.create("https://127.0.0.1:" + bound + "/clusters/" + cluster);
            kubeconfig.merge(
                    KubeconfigEntry.forCluster(cluster, server, caPem, new BearerTokenCredential(localToken)),
                    first && !noSetCurrent);
            System.out.printf(
                    "context %s%s in %s%n",
                    KubeconfigEntry.NAME_PREFIX + cluster, first && !noSetCurrent ? " (current)" : "", target);
            first = false;
        }
    }

    private static boolean causedByBind(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
        }
        return false;
    }
}
