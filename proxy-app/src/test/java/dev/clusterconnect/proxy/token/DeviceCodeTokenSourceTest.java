package dev.clusterconnect.proxy.token;

import static dev.clusterconnect.proxy.token.DeviceGrantOidcServer.APPROVE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceCodeTokenSourceTest {

    private static final Duration INTERVAL = Duration.ofSeconds(DeviceGrantOidcServer.INTERVAL_SECONDS);

    private static DeviceGrantOidcServer oidc;

    @TempDir
    Path configDir;

    private final ByteArrayOutputStream promptBytes = new ByteArrayOutputStream();
    private final RecordingSleeper sleeper = new RecordingSleeper();

    @BeforeAll
    static void startServer() {
        oidc = new DeviceGrantOidcServer();
    }

    @AfterAll
    static void stopServer() {
        oidc.close();
    }

    @Test
    void signsInAfterPendingPollsAndShowsOnlyTheCodeToTheUser() throws Exception {
        oidc.script("authorization_pending", "authorization_pending", APPROVE);
        CapturedOutput console = CapturedOutput.start();
        Token token;
        try {
            token = source(store()).token();
        } finally {
            console.stop();
        }

        JWTClaimsSet claims = SignedJWT.parse(token.value()).getJWTClaimsSet();
        assertEquals(oidc.issuer().toString(), claims.getIssuer());
        assertEquals(claims.getExpirationTime().toInstant(), token.expiresAt());
        assertEquals(List.of(INTERVAL, INTERVAL, INTERVAL), sleeper.waits());
        String prompt = prompt();
        assertTrue(prompt.contains(DeviceGrantOidcServer.USER_CODE), prompt);
        assertTrue(prompt.contains(oidc.issuer() + "/device"), prompt);
        assertFalse(prompt.contains(token.value()), "the token reached the prompt");
        assertFalse(console.text().contains(token.value()), "the token reached stdout or stderr");
        assertEquals("openid offline_access", last(oidc.deviceRequests()).get("scope"));
        assertEquals(
                DeviceGrantOidcServer.CLIENT_ID, last(oidc.deviceRequests()).get("client_id"));
    }

    @Test
    void slowDownAddsFiveSecondsToEveryLaterPoll() {
        oidc.script("slow_down", "authorization_pending", APPROVE);

        source(null).token();

        Duration slower = INTERVAL.plusSeconds(5);
        assertEquals(List.of(INTERVAL, slower, slower), sleeper.waits());
    }

    @Test
    void deniedSignInStopsPolling() {
        oidc.script("authorization_pending", "access_denied", APPROVE);
        int pollsBefore = oidc.polls().size();

        TokenException error =
                assertThrows(TokenException.class, () -> source(null).token());

        assertTrue(error.getMessage().contains("denied"), error.getMessage());
        assertEquals(pollsBefore + 2, oidc.polls().size());
    }

    @Test
    void expiredDeviceCodeAsksTheUserToStartAgain() {
        oidc.script("expired_token");

        TokenException error =
                assertThrows(TokenException.class, () -> source(null).token());

        assertTrue(error.getMessage().contains("expired"), error.getMessage());
    }

    @Test
    void storedRefreshTokenIsOwnerOnlyAndSignsInWithoutPrompting() throws Exception {
        RefreshTokenStore store = store();
        oidc.script(APPROVE);
        Token first = source(store).token();
        int deviceRequests = oidc.deviceRequests().size();
        promptBytes.reset();

        Token second = source(store).token();

        assertEquals(deviceRequests, oidc.deviceRequests().size(), "prompted again despite a refresh token");
        assertEquals("", prompt());
        assertNotEquals(first.value(), second.value());
        assertEquals(
                oidc.issuer().toString(),
                SignedJWT.parse(second.value()).getJWTClaimsSet().getIssuer());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file())));
        assertFalse(Files.readString(store.file()).contains(second.value()), "the ID token was stored");
    }

    @Test
    void refreshTokenTheProviderRejectsLeadsToANewSignIn() {
        RefreshTokenStore store = store();
        store.save("revoked-refresh-token");
        oidc.revoke("revoked-refresh-token");
        oidc.script(APPROVE);
        int deviceRequests = oidc.deviceRequests().size();

        source(store).token();

        assertEquals(deviceRequests + 1, oidc.deviceRequests().size());
        assertNotEquals("revoked-refresh-token", store.load().orElseThrow());
    }

    @Test
    void providerWithoutDeviceGrantIsReportedClearly() {
        DeviceCodeTokenSource source = DeviceCodeTokenSource.builder(oidc.issuerWithoutDeviceGrant(), "cli")
                .prompt(new PrintStream(promptBytes))
                .sleeper(sleeper)
                .build();

        TokenException error = assertThrows(TokenException.class, source::token);

        assertTrue(error.getMessage().contains("device_authorization_endpoint"), error.getMessage());
    }

    @Test
    void accessTokenCanBeChosenInsteadOfTheIdToken() throws Exception {
        oidc.script(APPROVE);
        Token token = DeviceCodeTokenSource.builder(oidc.issuer(), DeviceGrantOidcServer.CLIENT_ID)
                .tokenType(DeviceCodeTokenSource.TokenType.ACCESS_TOKEN)
                .prompt(new PrintStream(promptBytes))
                .sleeper(sleeper)
                .build()
                .token();

        assertTrue(SignedJWT.parse(token.value())
                .getJWTClaimsSet()
                .getExpirationTime()
                .toInstant()
                .isAfter(Instant.now()));
    }

    private DeviceCodeTokenSource source(RefreshTokenStore store) {
        return DeviceCodeTokenSource.builder(oidc.issuer(), DeviceGrantOidcServer.CLIENT_ID)
                .refreshTokenStore(store)
                .prompt(new PrintStream(promptBytes, true, StandardCharsets.UTF_8))
                .sleeper(sleeper)
                .build();
    }

    private RefreshTokenStore store() {
        return RefreshTokenStore.in(configDir.resolve("oidc"), oidc.issuer(), DeviceGrantOidcServer.CLIENT_ID);
    }

    private String prompt() {
        return promptBytes.toString(StandardCharsets.UTF_8);
    }

    private static <T> T last(List<T> list) {
        return list.get(list.size() - 1);
    }
}
