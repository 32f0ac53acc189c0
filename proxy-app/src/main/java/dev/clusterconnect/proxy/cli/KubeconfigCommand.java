package dev.clusterconnect.proxy.cli;

import dev.clusterconnect.proxy.exec.ExecStanza;
import dev.clusterconnect.proxy.kubeconfig.ContextNames;
import dev.clusterconnect.proxy.kubeconfig.KubeconfigEntry;
import dev.clusterconnect.proxy.kubeconfig.KubeconfigFile;
import dev.clusterconnect.proxy.kubeconfig.KubeconfigLocator;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Direct mode: a context whose server is the relay itself and whose user runs this program as a
 * client-go exec credential plugin. No local process stays running.
 */
@Command(
        name = "kubeconfig",
        mixinStandardHelpOptions = true,
        description =
                "Add a context that talks to the relay directly, with this program as kubectl's credential plugin.")
final class KubeconfigCommand implements Callable<Integer> {

    @Option(names = "--cluster", required = true, paramLabel = "ID", description = "The cluster.")
    String cluster;

    @Option(
            names = "--file",
            paramLabel = "FILE",
            description = "The kubeconfig to change (default: first of $KUBECONFIG, else ~/.kube/config).")
    Path file;

    @Option(names = "--no-set-current", description = "Do not make the new context the current one.")
    boolean noSetCurrent;

    @Option(
            names = "--exec-command",
            paramLabel = "PATH",
            defaultValue = "clusterconnect",
            description = "How kubectl starts this program (default: ${DEFAULT-VALUE} on the PATH).")
    String execCommand;

    @Mixin
    RelayOptions relay;

    @Mixin
    TokenOptions tokens;

    /**
     * The relay's server URL for the cluster when it gives the cluster a host name of its own
     * (relay.cluster-domain), which every client keeps; else {@code /clusters/<id>} on the relay URL
     * given here (which may differ from the relay's public URL, behind a private DNS name).
     */
    private URI server(RelayApi api) {
        String relayUrl = relay.relayUri().toString();
        String given = api.get("/api/v1/clusters/" + cluster).path("server").asText("");
        if (given.isEmpty() || given.endsWith("/clusters/" + cluster)) {
            return URI.create(relayUrl + "/clusters/" + cluster);
        }
        return URI.create(given);
    }

    @Override
    public Integer call() throws java.io.IOException {
        // one client, so the token source is asked once
        RelayApi api = new RelayApi(relay, tokens);
        URI server = server(api);
        List<String> args = new ArrayList<>(List.of("token", "--cluster", cluster));
        args.addAll(tokens.asArguments());
        String name = ContextNames.of(api.clusterNames(), List.of(cluster)).get(cluster);
        KubeconfigEntry entry = KubeconfigEntry.named(name, server, relay.caPem(), ExecStanza.of(execCommand, args));
        Path target = KubeconfigLocator.locate(file);
        new KubeconfigFile(target).merge(entry, !noSetCurrent);
        System.out.printf("context %s written to %s (server %s)%n", entry.name(), target, server);
        return ExitCode.OK;
    }
}
