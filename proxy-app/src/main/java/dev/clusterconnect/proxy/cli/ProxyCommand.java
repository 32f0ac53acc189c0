package dev.clusterconnect.proxy.cli;

import dev.clusterconnect.proxy.ProxyApplication;
import dev.clusterconnect.proxy.files.ClientDirectories;
import dev.clusterconnect.proxy.kubeconfig.BearerTokenCredential;
import dev.clusterconnect.proxy.kubeconfig.ContextNames;
import dev.clusterconnect.proxy.kubeconfig.KubeconfigEntry;
import dev.clusterconnect.proxy.kubeconfig.KubeconfigFile;
import dev.clusterconnect.proxy.kubeconfig.KubeconfigLocator;
import dev.clusterconnect.proxy.token.TokenException;
import dev.clusterconnect.proxy.token.TokenSource;
import java.net.BindException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
            paramLabel = "ID[=PORT]",
            description = "A cluster to serve (repeat for several), on a local port of its own: PORT, else the"
                    + " next after --port (a free one when --port is 0).")
    List<String> clusters;

    @Option(
            names = "--port",
            defaultValue = "47011",
            description = "The proxy's own local port, where a request names its cluster in the path"
                    + " (default ${DEFAULT-VALUE}).")
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
        Map<String, Integer> ports = clusterPorts();
        main.addOverrideProperty("proxy.listen.port", String.valueOf(port));
        main.addOverrideProperty(
                "proxy.cluster-ports",
                ports.entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .collect(java.util.stream.Collectors.joining(",")));
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
            Map<String, Integer> bound = ProxyApplication.clusterPorts(main.getCamelContext());
            writeContexts(main, bound);
            System.out.printf(
                    "serving %s; Ctrl-C stops%n",
                    bound.entrySet().stream()
                            .map(e -> e.getKey() + " on https://127.0.0.1:" + e.getValue())
                            .collect(java.util.stream.Collectors.joining(", ")));
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

    /**
     * Each cluster's port: the one given ({@code ID=PORT}), else the next after {@code --port}
     * not given to another, else (with {@code --port 0}) a free one.
     */
    Map<String, Integer> clusterPorts() {
        Map<String, Integer> chosen = new java.util.HashMap<>();
        java.util.Set<Integer> taken = new java.util.HashSet<>(java.util.List.of(port));
        for (String cluster : clusters) {
            int equals = cluster.indexOf('=');
            if (equals > 0) {
                try {
                    int given = Integer.parseInt(cluster.substring(equals + 1));
                    if (given < 1 || given > 65535 || !taken.add(given)) {
                        throw new NumberFormatException();
                    }
                    chosen.put(cluster, given);
                } catch (NumberFormatException e) {
                    throw new CliException(
                            ExitCode.USAGE, "--cluster " + cluster + ": PORT must be a free port number, once");
                }
            }
        }
        Map<String, Integer> ports = new java.util.LinkedHashMap<>();
        int next = port;
        for (String cluster : clusters) {
            int equals = cluster.indexOf('=');
            if (equals > 0) {
                ports.put(cluster.substring(0, equals), chosen.get(cluster));
            } else if (port == 0) {
                ports.put(cluster, 0);
            } else {
                do {
                    next++;
                } while (taken.contains(next));
                taken.add(next);
                ports.put(cluster, next);
            }
        }
        return ports;
    }

    private void writeContexts(Main main, Map<String, Integer> bound) throws java.io.IOException {
        String caPem = main.getCamelContext().getRegistry().lookupByNameAndType("localCaPem", String.class);
        String localToken = main.getCamelContext().getRegistry().lookupByNameAndType("localToken", String.class);
        Path target = KubeconfigLocator.locate(file);
        KubeconfigFile kubeconfig = new KubeconfigFile(target);
        Map<String, String> names = ContextNames.of(new RelayApi(relay, tokens).clusterNames(), bound.keySet());
        boolean first = true;
        for (Map.Entry<String, Integer> port : bound.entrySet()) {
            String name = names.get(port.getKey());
            URI server = URI.create("https://127.0.0.1:" + port.getValue());
            kubeconfig.merge(
                    KubeconfigEntry.named(name, server, caPem, new BearerTokenCredential(localToken)),
                    first && !noSetCurrent);
            System.out.printf("context %s%s in %s%n", name, first && !noSetCurrent ? " (current)" : "", target);
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
