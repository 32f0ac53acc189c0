package dev.clusterconnect.proxy.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code clusterconnect} command: what a developer or a CI job types.
 *
 * <pre>
 * clusterconnect proxy --relay https://relay.example.com --cluster prod --cluster staging
 * clusterconnect kubeconfig --relay https://relay.example.com --cluster prod     # no local process
 * clusterconnect token --cluster prod                                             # kubectl's exec plugin
 * clusterconnect login --oidc-issuer https://idp.example.com --oidc-client-id cli  # sign in once
 * </pre>
 */
@Command(
        name = "clusterconnect",
        mixinStandardHelpOptions = true,
        versionProvider = Clusterconnect.Version.class,
        description = "kubectl access to clusters behind firewalls, through the clusterconnect relay.",
        subcommands = {
            ProxyCommand.class,
            KubeconfigCommand.class,
            TokenCommand.class,
            LoginCommand.class,
            LogoutCommand.class,
            ControlPlaneCommands.Connect.class,
            ControlPlaneCommands.ListClusters.class,
            ControlPlaneCommands.Show.class,
            ControlPlaneCommands.Delete.class,
            ControlPlaneCommands.Grant.class,
            ControlPlaneCommands.Revoke.class,
            CommandLine.HelpCommand.class
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:done",
            "1:failed (relay unreachable, file not written, ...)",
            "2:wrong command line",
            "3:no usable token, or the relay refused it",
            "4:the local port is in use"
        })
public final class Clusterconnect {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and answers the exit code (tests call this instead of main). */
    public static int run(String... args) {
        CommandLine line = new CommandLine(new Clusterconnect());
        line.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof CliException failure) {
                cmd.getErr().println("clusterconnect: " + failure.getMessage());
                return failure.exitCode;
            }
            cmd.getErr().println("clusterconnect: " + e.getMessage());
            return ExitCode.FAILED;
        });
        return line.execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"clusterconnect " + dev.clusterconnect.routes.component.tunnel.Version.current()};
        }
    }
}
