package dev.clusterconnect.proxy.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TokenTest {

    private static final Instant EXP = Instant.parse("2030-01-02T03:04:05Z");

    @Test
    void expiryIsReadFromTheJwtExpClaim() {
        assertEquals(EXP, Token.of(TestJwts.expiringAt(EXP)).expiresAt());
    }

    @Test
    void opaqueTokenHasUnknownExpiryUnlessAFallbackIsGiven() {
        assertNull(Token.of("opaque-token").expiresAt());
        assertNull(Token.of("not.a.jwt").expiresAt());
        assertEquals(EXP, Token.of("opaque-token", EXP).expiresAt());
    }

    @Test
    void encryptedJwtHasUnknownExpiry() {
        // header {"alg":"dir","enc":"A128GCM"}: five parts, claims unreadable without the key
        String jwe = "eyJhbGciOiJkaXIiLCJlbmMiOiJBMTI4R0NNIn0..aXZpdml2aXZpdml2.Y2lwaGVydGV4dA.dGFndGFndGFndGFndGFn";

        assertNull(Token.of(jwe).expiresAt());
    }

    @Test
    void jwtExpiryWinsOverTheFallback() {
        assertEquals(EXP, Token.of(TestJwts.expiringAt(EXP), Instant.EPOCH).expiresAt());
    }

    @Test
    void toStringNeverShowsTheValue() {
        String jwt = TestJwts.expiringAt(EXP);

        assertFalse(Token.of(jwt).toString().contains(jwt));
        assertTrue(Token.of(jwt).toString().contains("<redacted>"));
    }

    @Test
    void expiryIsComparedWithTheGivenTime() {
        Token token = Token.of(TestJwts.expiringAt(EXP));

        assertFalse(token.isExpiredAt(EXP.minusSeconds(1)));
        assertTrue(token.isExpiredAt(EXP));
        assertFalse(Token.of("opaque").isExpiredAt(Instant.MAX));
    }

    @Test
    void blankTokenIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Token(" ", null));
    }
}
