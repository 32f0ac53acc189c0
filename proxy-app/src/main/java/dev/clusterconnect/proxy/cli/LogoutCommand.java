package dev.clusterconnect.proxy.cli;

import dev.clusterconnect.proxy.exec.ExecCredentialCache;
import dev.clusterconnect.proxy.files.ClientDirectories;
import dev.clusterconnect.proxy.token.DeviceCodeTokenSource;
import dev.clusterconnect.proxy.token.RefreshTokenStore;
import dev.clusterconnect.proxy.token.TokenException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code clusterconnect logout}: forgets the refresh token that {@code login} (or any command
 * with {@code --oidc-issuer}) kept, revoking it at the provider when it offers revocation
 * (RFC 7009), and deletes the exec credentials cached for those command lines. Nothing stored is
 * not an error.
 */
@Command(
        name = "logout",
        mixinStandardHelpOptions = true,
        description =
                "Forget the stored OIDC sign-in (revoking it at the provider when it can) and its cached credentials.")
final class LogoutCommand implements Callable<Integer> {

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
        @ArgGroup(exclusive = false)
        OidcClient client;

        @Option(names = "--all", required = true, description = "Every issuer and client signed in on this machine.")
        boolean all;
    }

    @Override
    public Integer call() {
        ClientDirectories dirs = ClientDirectories.current();
        try {
            if (target.all) {
                return logoutEverywhere(dirs);
            }
            OidcClient client = target.client;
            signOut(client.store(dirs), client.issuer);
            removed(ExecCredentialCache.clearWhere(dirs.cache(), client::named));
            return ExitCode.OK;
        } catch (TokenException e) {
            throw new CliException(ExitCode.FAILED, e.getMessage());
        }
    }

    private int logoutEverywhere(ClientDirectories dirs) {
        List<RefreshTokenStore> stores = RefreshTokenStore.all(dirs.config().resolve("oidc"));
        if (stores.isEmpty()) {
            System.out.println("Not logged in anywhere: no refresh token was stored.");
        }
        for (RefreshTokenStore store : stores) {
            signOut(store, URI.create(store.issuer()));
        }
        removed(ExecCredentialCache.clearWhere(dirs.cache(), OidcClient::namesAny));
        return ExitCode.OK;
    }

    private static void signOut(RefreshTokenStore store, URI issuer) {
        String who = OidcClient.describe(store.issuer(), store.clientId());
        DeviceCodeTokenSource.SignOut signOut = DeviceCodeTokenSource.builder(issuer, store.clientId())
                .refreshTokenStore(store)
                .build()
                .signOut();
        if (!signOut.wasSignedIn()) {
            System.out.println("Not logged in to " + who + ": no refresh token was stored.");
            return;
        }
        signOut.warning().ifPresent(warning -> System.err.println("warning: " + warning));
        System.out.println("Logged out of " + who
                + (signOut.revoked()
                        ? ": the refresh token was revoked and deleted."
                        : ": the refresh token was deleted."));
    }

    private static void removed(int cachedCredentials) {
        if (cachedCredentials > 0) {
            System.out.println("Deleted " + cachedCredentials + " cached credential"
                    + (cachedCredentials == 1 ? "" : "s") + " of kubectl's exec plugin.");
        }
    }
}
