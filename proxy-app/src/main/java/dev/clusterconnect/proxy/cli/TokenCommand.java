package dev.clusterconnect.proxy.cli;

import dev.clusterconnect.proxy.exec.ExecCredentialCache;
import dev.clusterconnect.proxy.exec.ExecCredentialPlugin;
import dev.clusterconnect.proxy.files.ClientDirectories;
import dev.clusterconnect.proxy.token.TokenException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** kubectl's exec credential plugin: prints an ExecCredential, cached until near its expiry. */
@Command(
        name = "token",
        mixinStandardHelpOptions = true,
        description =
                "Print an ExecCredential for kubectl (client.authentication.k8s.io/v1); used by kubeconfigs written with 'kubeconfig'.")
final class TokenCommand implements Callable<Integer> {

    @Option(
            names = "--cluster",
            required = true,
            paramLabel = "ID",
            description = "The cluster the credential is for (names the cache entry).")
    String cluster;

    @Mixin
    TokenOptions tokens;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try {
            var cache =
                    ExecCredentialCache.forCluster(ClientDirectories.current().cache(), cluster);
            // the whole command line keys the cache entry, as FastToken reads it
            var key = spec.commandLine().getParseResult().originalArgs();
            new ExecCredentialPlugin(tokens.source(), cache, key).printTo(System.out);
            return ExitCode.OK;
        } catch (TokenException e) {
            throw new CliException(ExitCode.AUTH, e.getMessage());
        }
    }
}
