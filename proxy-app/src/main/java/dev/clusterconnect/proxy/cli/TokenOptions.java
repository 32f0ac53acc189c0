package dev.clusterconnect.proxy.cli;

import dev.clusterconnect.proxy.files.ClientDirectories;
import dev.clusterconnect.proxy.token.CachingTokenSource;
import dev.clusterconnect.proxy.token.CommandTokenSource;
import dev.clusterconnect.proxy.token.DeviceCodeTokenSource;
import dev.clusterconnect.proxy.token.EnvironmentTokenSource;
import dev.clusterconnect.proxy.token.FileTokenSource;
import dev.clusterconnect.proxy.token.GitHubActionsTokenSource;
import dev.clusterconnect.proxy.token.RefreshTokenStore;
import dev.clusterconnect.proxy.token.TokenSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Where the user's token comes from; shared by every verb that talks to the relay. */
final class TokenOptions {

    static final String DEFAULT_VARIABLE = "CLUSTERCONNECT_TOKEN";

    @Option(
            names = "--token-env",
            paramLabel = "VAR",
            description =
                    "Read the token from this environment variable (default CLUSTERCONNECT_TOKEN when no other source is given).")
    String env;

    @Option(
            names = "--token-file",
            paramLabel = "FILE",
            description = "Read the token from this file (re-read when it changes).")
    Path file;

    @Option(
            names = "--token-command",
            paramLabel = "CMD",
            description =
                    "Run this command; its output is the token, e.g. \"az account get-access-token --query accessToken -o tsv\".")
    String command;

    @Option(
            names = "--oidc-issuer",
            paramLabel = "URL",
            description = "Sign in with the OIDC device-code flow at this issuer.")
    URI issuer;

    @Option(names = "--oidc-client-id", paramLabel = "ID", description = "OIDC client id for the device-code flow.")
    String clientId;

    @Option(
            names = "--github-actions-audience",
            paramLabel = "AUD",
            description = "In GitHub Actions: request the runner's OIDC token for this audience.")
    String githubAudience;

    /** The token arguments again, to put into an exec plugin's command line. */
    List<String> asArguments() {
        List<String> args = new ArrayList<>();
        if (env != null) {
            args.addAll(List.of("--token-env", env));
        }
        if (file != null) {
            args.addAll(List.of("--token-file", file.toAbsolutePath().toString()));
        }
        if (command != null) {
            args.addAll(List.of("--token-command", command));
        }
        if (issuer != null) {
            args.addAll(List.of("--oidc-issuer", issuer.toString(), "--oidc-client-id", clientId));
        }
        if (githubAudience != null) {
            args.addAll(List.of("--github-actions-audience", githubAudience));
        }
        return args;
    }

    /** The source these options name. */
    TokenSource source() {
        long given = java.util.stream.Stream.of(file, command, issuer, githubAudience, env)
                .filter(java.util.Objects::nonNull)
                .count();
        if (given > 1) {
            throw new CliException(
                    ExitCode.USAGE,
                    "give one token source (--token-env, --token-file, --token-command, --oidc-issuer or --github-actions-audience)");
        }
        // A file or a variable is read on every request (the file only when it changed), so a
        // token written there by another tool is used at once; the costly sources are cached and
        // refreshed ahead of expiry.
        if (file != null) {
            return new FileTokenSource(file);
        }
        if (command == null && issuer == null && githubAudience == null) {
            return new EnvironmentTokenSource(env != null ? env : DEFAULT_VARIABLE);
        }
        TokenSource source;
        if (command != null) {
            source = new CommandTokenSource(List.of("sh", "-c", command), Duration.ofSeconds(60));
        } else if (issuer != null) {
            if (clientId == null) {
                throw new CliException(ExitCode.USAGE, "--oidc-issuer needs --oidc-client-id");
            }
            ClientDirectories dirs = ClientDirectories.current();
            source = DeviceCodeTokenSource.builder(issuer, clientId)
                    .refreshTokenStore(RefreshTokenStore.in(dirs.config().resolve("oidc"), issuer, clientId))
                    .build();
        } else {
            source = new GitHubActionsTokenSource(githubAudience, System.getenv(), HttpClient.newHttpClient());
        }
        return new CachingTokenSource(source);
    }
}
