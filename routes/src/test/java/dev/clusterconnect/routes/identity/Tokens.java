package dev.clusterconnect.routes.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/** Builds and forges tokens with nimbus, and checks refusals. */
final class Tokens {

    private Tokens() {}

    /** Claims a well-behaved issuer would put in a token valid for ten minutes. */
    static JWTClaimsSet.Builder claims(String issuer, String audience) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(audience)
                .subject("subject-1")
                .claim("preferred_username", "alice")
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(600)))
                .jwtID(UUID.randomUUID().toString());
    }

    /** A JWS header with the key's kid and {@code typ: JWT}. */
    static JWSHeader.Builder header(JWSAlgorithm algorithm, RSAKey key) {
        return new JWSHeader.Builder(algorithm).keyID(key.getKeyID()).type(JOSEObjectType.JWT);
    }

    static String sign(RSAKey key, JWTClaimsSet claims) {
        return sign(key, header(JWSAlgorithm.RS256, key).build(), claims);
    }

    static String sign(RSAKey key, JWSHeader header, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(header, claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static String base64Url(String json) {
        return Base64URL.encode(json.getBytes(StandardCharsets.UTF_8)).toString();
    }

    static String[] parts(String token) {
        return token.split("\\.", -1);
    }

    /**
     * Asserts a refusal with the given status and reason whose message quotes neither the token nor
     * any of its segments, and holds no control character (it goes to logs as is).
     */
    static Authentication.Refused assertRefused(Authentication result, int status, RefusalReason reason, String token) {
        Authentication.Refused refused = assertInstanceOf(Authentication.Refused.class, result);
        assertEquals(reason, refused.reason(), refused.message());
        assertEquals(status, refused.httpStatus());
        assertMessageRevealsNothing(refused.message(), token);
        return refused;
    }

    static void assertMessageRevealsNothing(String message, String token) {
        assertFalse(message.isBlank(), "a refusal explains itself");
        assertFalse(message.chars().anyMatch(c -> c < 0x20), "no control characters in: " + message);
        if (token == null || token.isEmpty()) {
            return;
        }
        assertFalse(message.contains(token), "message quotes the token");
        for (String segment : parts(token)) {
            // Segments shorter than 8 characters ("e30", "") are too short to leak anything.
            if (segment.length() >= 8) {
                assertFalse(message.contains(segment), "message quotes a token segment: " + message);
            }
        }
        // Nor a piece of one: no 16-character window of the token appears in the message.
        for (int i = 0; i + 16 <= token.length(); i++) {
            assertFalse(message.contains(token.substring(i, i + 16)), "message quotes part of the token: " + message);
        }
    }
}
