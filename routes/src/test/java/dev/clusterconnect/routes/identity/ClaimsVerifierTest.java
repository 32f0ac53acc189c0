package dev.clusterconnect.routes.identity;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.JWTClaimsSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The time and audience rules, at their exact boundaries, on a fixed clock. */
class ClaimsVerifierTest {

    private static final String ISSUER = "https://idp.example.com";
    private static final String AUDIENCE = "api://clusterconnect";
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    private final ClaimsVerifier verifier =
            new ClaimsVerifier(ISSUER, AUDIENCE, Duration.ofSeconds(60), Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void expiryIsToleratedForExactlyTheSkew() {
        assertDoesNotThrow(() -> verifier.verify(valid().expirationTime(at(-60)).build(), null));
        assertReason(RefusalReason.EXPIRED, valid().expirationTime(at(-61)));
    }

    @Test
    void notBeforeAndIssuedAtMayBeAheadByExactlyTheSkew() {
        assertDoesNotThrow(() ->
                verifier.verify(valid().notBeforeTime(at(60)).issueTime(at(60)).build(), null));
        assertReason(RefusalReason.NOT_YET_VALID, valid().notBeforeTime(at(61)));
        assertReason(RefusalReason.NOT_YET_VALID, valid().issueTime(at(61)));
    }

    @Test
    void audienceMayBeOneOfSeveral() {
        assertDoesNotThrow(() ->
                verifier.verify(valid().audience(List.of("other", AUDIENCE)).build(), null));
        assertReason(RefusalReason.WRONG_AUDIENCE, valid().audience(List.of("other", "api://clusterconnect2")));
    }

    @Test
    void aWrongAudienceNamesWhatCameAndWhatWasExpectedAndPointsAtTheAudienceMapper() {
        // Keycloak's access token without an audience mapper
        ClaimRejection rejection = assertThrows(
                ClaimRejection.class,
                () -> verifier.verify(valid().audience("account").build(), null));
        assertEquals(
                "token audience is [\"account\"], expected api://clusterconnect: the identity provider must add"
                        + " api://clusterconnect to aud (Keycloak: an Audience mapper on the client; Entra ID: v2 access tokens"
                        + " carry the application id, not api://...; GitHub Actions: request the token for that audience)",
                rejection.getMessage());
    }

    @Test
    void audienceValuesThatAreLongOrNotPlainAsciiAreDescribedNotQuoted() {
        String message = assertThrows(
                        ClaimRejection.class,
                        () -> verifier.verify(
                                valid().audience(List.of("a\r\nInjected: yes", "x".repeat(65), "quo\"te", "ok-1"))
                                        .build(),
                                null))
                .getMessage();
        assertTrue(
                message.startsWith("token audience is [(16 characters, not shown), (65 characters, not shown),"
                        + " (6 characters, not shown), 1 more], expected"),
                message);
        assertEquals(
                "token audience is [\"" + "x".repeat(64) + "\"]",
                assertThrows(
                                ClaimRejection.class,
                                () -> verifier.verify(
                                        valid().audience("x".repeat(64)).build(), null))
                        .getMessage()
                        .split(",")[0]);
    }

    @Test
    void issuerMustMatchExactly() {
        assertReason(RefusalReason.UNTRUSTED_ISSUER, valid().issuer(ISSUER.toUpperCase()));
    }

    private JWTClaimsSet.Builder valid() {
        return new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE).expirationTime(at(300));
    }

    private void assertReason(RefusalReason reason, JWTClaimsSet.Builder claims) {
        ClaimRejection rejection = assertThrows(ClaimRejection.class, () -> verifier.verify(claims.build(), null));
        assertEquals(reason, rejection.toRefused().reason());
    }

    private static Date at(long secondsFromNow) {
        return Date.from(NOW.plusSeconds(secondsFromNow));
    }
}
