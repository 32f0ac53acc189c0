package dev.clusterconnect.proxy.cli;

import dev.clusterconnect.proxy.exec.ExecCredentialCache;
import dev.clusterconnect.proxy.files.ClientDirectories;
import dev.clusterconnect.proxy.token.DeviceCodeTokenSource;
import dev.clusterconnect.proxy.token.TokenException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code clusterconnect login}: the OIDC device-code flow (RFC 8628) now, so that the other
 * commands with the same {@code --oidc-issuer} and {@code --oidc-client-id} sign in silently
 * with the refresh token it keeps.
 */
@Command(
        name = "login",
        mixinStandardHelpOptions = true,
        description =
                "Sign in with the OIDC device-code flow and keep the refresh token (0600) for the other commands.")
final class LoginCommand implements Callable<Integer> {

    @ArgGroup(exclusive = false, multiplicity = "1")
    OidcClient client;

    @Option(
            names = "--scope",
            split = ",",
            paramLabel = "SCOPE",
            defaultValue = "openid,offline_access",
            description = "Scopes to request (repeat or separate with commas; default: ${DEFAULT-VALUE}).")
    List<String> scopes;

    @Option(names = "--no-browser", description = "Only print the verification URL and code; do not open a browser.")
    boolean noBrowser;

    @Override
    public Integer call() {
        ClientDirectories dirs = ClientDirectories.current();
        Browser browser = Browser.system();
        DeviceCodeTokenSource source = DeviceCodeTokenSource.builder(client.issuer, client.clientId)
                .scopes(scopes)
                .refreshTokenStore(client.store(dirs))
                .browser(noBrowser ? page -> {} : page -> opened(browser, page))
                .build();
        DeviceCodeTokenSource.SignIn signIn;
        try {
            signIn = source.signIn();
        } catch (TokenException e) {
            throw new CliException(ExitCode.AUTH, "login failed: " + e.getMessage());
        }
        // credentials cached for an earlier sign-in (maybe another user) must not outlive it
        ExecCredentialCache.clearWhere(dirs.cache(), client::named);
        String who =
                signIn.identity().map(identity -> " as " + identity.describe()).orElse(" (the tokens name no user)");
        System.out.println("Logged in to " + OidcClient.describe(client.issuer.toString(), client.clientId) + who);
        if (!signIn.refreshTokenKept()) {
            System.err.println("warning: the identity provider returned no refresh token (request the offline_access"
                    + " scope?); the other commands will ask you to sign in again");
        }
        return ExitCode.OK;
    }

    private static void opened(Browser browser, URI page) {
        browser.open(page).ifPresent(how -> System.err.println("Opened the page with " + how + "."));
    }
}
