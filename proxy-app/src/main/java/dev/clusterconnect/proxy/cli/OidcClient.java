package dev.clusterconnect.proxy.cli;

import dev.clusterconnect.proxy.files.ClientDirectories;
import dev.clusterconnect.proxy.token.RefreshTokenStore;
import java.net.URI;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --oidc-issuer URL --oidc-client-id ID}: the sign-in that login and logout act on. */
final class OidcClient {

    @Option(
            names = "--oidc-issuer",
            required = true,
            paramLabel = "URL",
            description = "The OIDC issuer, as given to the other commands.")
    URI issuer;

    @Option(
            names = "--oidc-client-id",
            required = true,
            paramLabel = "ID",
            description = "The OIDC client id, as given to the other commands.")
    String clientId;

    /** Where the other commands find this client's refresh token (what TokenOptions uses). */
    RefreshTokenStore store(ClientDirectories dirs) {
        return RefreshTokenStore.in(dirs.config().resolve("oidc"), issuer, clientId);
    }

    /** Whether a cached command line (an exec credential cache key) signs in as this client. */
    boolean named(List<String> arguments) {
        String givenIssuer = value(arguments, "--oidc-issuer");
        return givenIssuer != null
                && withoutTrailingSlash(givenIssuer).equals(withoutTrailingSlash(issuer.toString()))
                && clientId.equals(value(arguments, "--oidc-client-id"));
    }

    /** Whether a cached command line signs in with any OIDC client. */
    static boolean namesAny(List<String> arguments) {
        return value(arguments, "--oidc-issuer") != null;
    }

    /** e.g. {@code https://idp.example.com (client clusterconnect)}. */
    static String describe(String issuer, String clientId) {
        return issuer + " (client " + clientId + ")";
    }

    private static String value(List<String> arguments, String option) {
        for (int i = 0; i < arguments.size(); i++) {
            String argument = arguments.get(i);
            if (argument.equals(option) && i + 1 < arguments.size()) {
                return arguments.get(i + 1);
            }
            if (argument.startsWith(option + "=")) {
                return argument.substring(option.length() + 1);
            }
        }
        return null;
    }

    private static String withoutTrailingSlash(String uri) {
        return uri.replaceAll("/+$", "");
    }
}
