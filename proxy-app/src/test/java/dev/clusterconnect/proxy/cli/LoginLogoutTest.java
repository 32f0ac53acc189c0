package dev.clusterconnect.proxy.cli;

import static dev.clusterconnect.proxy.token.DeviceGrantOidcServer.APPROVE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clusterconnect.proxy.exec.ExecCredentialCache;
import dev.clusterconnect.proxy.token.DeviceGrantOidcServer;
import dev.clusterconnect.proxy.token.RefreshTokenStore;
import dev.clusterconnect.proxy.token.TestJwts;
import dev.clusterconnect.proxy.token.Token;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code clusterconnect login} and {@code logout} against navikt's mock-oauth2-server with the
 * device grant added ({@link DeviceGrantOidcServer}). Each command runs in a child JVM as a user
 * would run it: HOME is a temporary directory, and the machine has no display (headless, no
 * DISPLAY), so no browser opens and that must not fail the login.
 */
class LoginLogoutTest {

    private static final String CLIENT = DeviceGrantOidcServer.CLIENT_ID;

    private static DeviceGrantOidcServer oidc;

    @TempDir
    Path home;

    @BeforeAll
    static void startServer() {
        oidc = new DeviceGrantOidcServer();
    }

    @AfterAll
    static void stopServer() {
        oidc.close();
    }

    @BeforeEach
    void noRevocation() {
        oidc.offerRevocation(0);
    }

    @Test
    void loginKeepsTheRefreshTokenOwnerOnlyAndNamesTheUserButNoToken() throws Exception {
        oidc.nextUser("u-1234", Map.of("preferred_username", "alice", "email", "alice@example.com"));
        oidc.script("authorization_pending", APPROVE);

        Run login = clusterconnect("login", "--oidc-issuer", issuer(), "--oidc-client-id", CLIENT);

        assertEquals(0, login.exit, login.toString());
        assertTrue(login.out.contains("Logged in to " + issuer()), login.out);
        assertTrue(login.out.contains("alice (alice@example.com, subject u-1234)"), login.out);
        assertTrue(login.err.contains(DeviceGrantOidcServer.USER_CODE), login.err);
        assertTrue(login.err.contains(issuer() + "/device?user_code="), "verification_uri_complete: " + login.err);
        assertFalse(login.err.contains("Opened"), "a browser was opened on a headless machine: " + login.err);
        for (String token : oidc.issuedTokens()) {
            assertFalse(login.out.contains(token) || login.err.contains(token), "a token was printed");
        }
        Path stored = store(CLIENT).file();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(stored)));
        String refreshToken = store(CLIENT).load().orElseThrow();
        assertTrue(oidc.issuedTokens().contains(refreshToken), "the stored token is not the one issued");
        assertEquals("openid offline_access", lastScope());

        oidc.script(APPROVE);
        Run again = clusterconnect(
                "login",
                "--oidc-issuer",
                issuer(),
                "--oidc-client-id",
                CLIENT,
                "--scope",
                "openid,offline_access,email");
        assertEquals(0, again.exit, again.toString());
        assertEquals("openid offline_access email", lastScope());

        assertNotEquals(refreshToken, store(CLIENT).load().orElseThrow(), "logging in again kept the old token");
    }

    @Test
    void anotherCommandUsesTheLoginWithoutPrompting() throws Exception {
        login(CLIENT);
        int deviceRequests = oidc.deviceRequests().size();

        Run token = clusterconnect("token", "--cluster", "prod", "--oidc-issuer", issuer(), "--oidc-client-id", CLIENT);

        assertEquals(0, token.exit, token.toString());
        assertTrue(token.out.contains("\"kind\":\"ExecCredential\""), token.out);
        assertEquals(deviceRequests, oidc.deviceRequests().size(), "prompted again after login");
        assertFalse(token.err.contains("To sign in"), token.err);
    }

    @Test
    void logoutForgetsTheRefreshTokenAndItsCachedCredentialsOnly() throws Exception {
        login(CLIENT);
        assertEquals(
                0,
                clusterconnect("token", "--cluster", "prod", "--oidc-issuer", issuer(), "--oidc-client-id", CLIENT)
                        .exit);
        Path oidcCredential = cache().resolve("exec/clusterconnect-prod.json");
        assertTrue(Files.exists(oidcCredential), "the token command cached nothing");
        int revocations = oidc.revocations().size();
        ExecCredentialCache other = ExecCredentialCache.forCluster(cache(), "other");
        other.write(
                List.of("token", "--cluster", "other", "--token-env", "T"),
                Token.of(TestJwts.expiringAt(Instant.now().plus(Duration.ofHours(1)))));

        Run logout = clusterconnect("logout", "--oidc-issuer", issuer(), "--oidc-client-id", CLIENT);

        assertEquals(0, logout.exit, logout.toString());
        assertTrue(logout.out.contains("Logged out of " + issuer()), logout.out);
        assertTrue(logout.out.contains("Deleted 1 cached credential"), logout.out);
        assertFalse(Files.exists(store(CLIENT).file()), "the refresh token is still stored");
        assertFalse(Files.exists(oidcCredential), "the cached credential of the login is still there");
        assertTrue(Files.exists(other.file()), "another token source's credential was deleted");
        assertEquals(revocations, oidc.revocations().size(), "revoked at a provider that offers no revocation");
    }

    @Test
    void logoutRevokesTheRefreshTokenWhenTheProviderOffersRevocation() throws Exception {
        oidc.offerRevocation(200);
        login(CLIENT);
        String refreshToken = store(CLIENT).load().orElseThrow();
        int before = oidc.revocations().size();

        Run logout = clusterconnect("logout", "--oidc-issuer", issuer(), "--oidc-client-id", CLIENT);

        assertEquals(0, logout.exit, logout.toString());
        assertTrue(logout.out.contains("revoked"), logout.out);
        assertEquals(before + 1, oidc.revocations().size());
        Map<String, String> revocation = oidc.revocations().get(before);
        assertEquals(refreshToken, revocation.get("token"));
        assertEquals("refresh_token", revocation.get("token_type_hint"));
        assertEquals(CLIENT, revocation.get("client_id"));
        assertFalse(Files.exists(store(CLIENT).file()));
        assertFalse(logout.out.contains(refreshToken) || logout.err.contains(refreshToken), "the token was printed");
    }

    @Test
    void aFailedRevocationIsAWarningAndTheTokenIsForgottenAnyway() throws Exception {
        login(CLIENT);
        oidc.offerRevocation(503);

        Run logout = clusterconnect("logout", "--oidc-issuer", issuer(), "--oidc-client-id", CLIENT);

        assertEquals(0, logout.exit, logout.toString());
        assertTrue(logout.err.contains("warning: ") && logout.err.contains("temporarily_unavailable"), logout.err);
        assertFalse(Files.exists(store(CLIENT).file()), "the refresh token is still stored");
    }

    @Test
    void logoutAllForgetsEveryClientAndNothingStoredIsNoError() throws Exception {
        login(CLIENT);
        login("second-client");

        Run logout = clusterconnect("logout", "--all");

        assertEquals(0, logout.exit, logout.toString());
        assertTrue(logout.out.contains("client " + CLIENT) && logout.out.contains("client second-client"), logout.out);
        assertFalse(Files.exists(store(CLIENT).file()));
        assertFalse(Files.exists(store("second-client").file()));

        Run again = clusterconnect("logout", "--all");
        assertEquals(0, again.exit, again.toString());
        assertTrue(again.out.contains("Not logged in"), again.out);
        Run one = clusterconnect("logout", "--oidc-issuer", issuer(), "--oidc-client-id", CLIENT);
        assertEquals(0, one.exit, one.toString());
        assertTrue(one.out.contains("Not logged in to " + issuer()), one.out);
    }

    @Test
    void anExpiredDeviceCodeIsARefusedLogin() throws Exception {
        oidc.script("authorization_pending", "expired_token");

        Run login = clusterconnect("login", "--oidc-issuer", issuer(), "--oidc-client-id", CLIENT, "--no-browser");

        assertEquals(ExitCode.AUTH, login.exit, login.toString());
        assertTrue(login.err.contains("login failed: the device code expired"), login.err);
        assertFalse(Files.exists(store(CLIENT).file()));
    }

    @Test
    void aDeniedSignInIsARefusedLogin() throws Exception {
        oidc.script("access_denied");

        Run login = clusterconnect("login", "--oidc-issuer", issuer(), "--oidc-client-id", CLIENT, "--no-browser");

        assertEquals(ExitCode.AUTH, login.exit, login.toString());
        assertTrue(login.err.contains("login failed: sign-in was denied"), login.err);
        assertFalse(Files.exists(store(CLIENT).file()));
    }

    @Test
    void logoutNeedsAClientOrAll() throws Exception {
        assertEquals(ExitCode.USAGE, clusterconnect("logout").exit);
        assertEquals(ExitCode.USAGE, clusterconnect("logout", "--oidc-issuer", issuer()).exit);
        assertEquals(
                ExitCode.USAGE,
                clusterconnect("logout", "--all", "--oidc-issuer", issuer(), "--oidc-client-id", CLIENT).exit);
    }

    private void login(String client) throws Exception {
        oidc.script(APPROVE);
        Run login = clusterconnect("login", "--oidc-issuer", issuer(), "--oidc-client-id", client, "--no-browser");
        assertEquals(0, login.exit, login.toString());
        assertTrue(store(client).load().isPresent(), "login kept no refresh token");
    }

    private static String lastScope() {
        List<Map<String, String>> requests = oidc.deviceRequests();
        return requests.get(requests.size() - 1).get("scope");
    }

    private static String issuer() {
        return oidc.issuer().toString();
    }

    private RefreshTokenStore store(String client) {
        return RefreshTokenStore.in(home.resolve(".config/clusterconnect/oidc"), oidc.issuer(), client);
    }

    private Path cache() {
        return home.resolve(".cache/clusterconnect");
    }

    private record Run(int exit, String out, String err) {}

    /** Runs the CLI in a child JVM with HOME at {@link #home} and no display. */
    private Run clusterconnect(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Djava.awt.headless=true",
                "-cp",
                System.getProperty("java.class.path"),
                Clusterconnect.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        for (String variable :
                List.of("DISPLAY", "WAYLAND_DISPLAY", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "CLUSTERCONNECT_TOKEN")) {
            builder.environment().remove(variable);
        }
        builder.environment().put("HOME", home.toString());
        Path out = Files.createTempFile(home, "out", ".txt");
        Path err = Files.createTempFile(home, "err", ".txt");
        Process process = builder.redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .start();
        process.getOutputStream().close();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the child JVM did not finish");
        return new Run(
                process.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
