package dev.clusterconnect.routes.identity;

import static dev.clusterconnect.routes.identity.Tokens.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The authenticator remembers verified tokens, never past their expiry, and never a refusal. */
class VerifiedTokensTest {

    private static final String AUDIENCE = "api://clusterconnect";

    @TempDir
    static Path directory;

    private static OidcTestServer server;

    private final SettableClock clock = new SettableClock(Instant.now());
    private final TokenAuthenticator authenticator = TokenAuthenticator.create(
            AuthenticatorSettings.builder()
                    .issuer(IssuerSettings.builder(server.issuer("remembering"), AUDIENCE)
                            .usernameClaim("preferred_username")
                            .caFile(server.caFile())
                            .build())
                    .build(),
            clock);

    @BeforeAll
    static void startIssuer() throws Exception {
        server = new OidcTestServer(directory);
    }

    @AfterAll
    static void stopIssuer() {
        server.close();
    }

    @Test
    void theSameTokenAgainIsAnsweredFromMemory() {
        String token = server.issue("remembering", "sub-alice", AUDIENCE, Map.of("preferred_username", "alice"), 600);

        Authentication first = authenticator.authenticate(token);
        Authentication second = authenticator.authenticate(token);

        assertInstanceOf(Authentication.Authenticated.class, first);
        assertSame(first, second, "the second request reused the first verdict");
        assertEquals(1, authenticator.rememberedTokens());
    }

    @Test
    void aRememberedTokenIsRefusedOnceItExpires() {
        String token = server.issue("remembering", "sub-alice", AUDIENCE, Map.of("preferred_username", "alice"), 120);
        assertInstanceOf(Authentication.Authenticated.class, authenticator.authenticate(token));

        // past exp and past the clock skew the verifier allows (60 s by default)
        clock.advance(Duration.ofSeconds(120 + 61));

        assertRefused(authenticator.authenticate(token), 401, RefusalReason.EXPIRED, token);
    }

    @Test
    void aRememberedTokenIsVerifiedAgainAfterTheTimeToLive() {
        String token = server.issue("remembering", "sub-alice", AUDIENCE, Map.of("preferred_username", "alice"), 3600);
        Authentication first = authenticator.authenticate(token);

        clock.advance(VerifiedTokens.TIME_TO_LIVE.plusSeconds(1));
        Authentication again = authenticator.authenticate(token);

        assertInstanceOf(Authentication.Authenticated.class, again);
        assertNotSame(first, again, "verified afresh, not served from memory");
    }

    @Test
    void refusalsAreNotRemembered() {
        String wrongAudience = server.issue(
                "remembering", "sub-alice", "api://someone-else", Map.of("preferred_username", "alice"), 600);

        assertRefused(authenticator.authenticate(wrongAudience), 401, RefusalReason.WRONG_AUDIENCE, wrongAudience);
        assertRefused(authenticator.authenticate(wrongAudience), 401, RefusalReason.WRONG_AUDIENCE, wrongAudience);
        assertEquals(0, authenticator.rememberedTokens());
    }

    /** A clock the test moves forward. */
    private static final class SettableClock extends Clock {
        private volatile Instant now;

        SettableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
