package dev.clusterconnect.relay.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Random identifiers and tokens, and the one-way hash under which tokens are stored. */
final class Secrets {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder URL_SAFE = Base64.getUrlEncoder().withoutPadding();

    private Secrets() {}

    /** 22 URL-safe characters from 128 random bits: unguessable, so ids reveal nothing. */
    static String newClusterId() {
        return randomUrlSafe(16);
    }

    /** 43 URL-safe characters from 256 random bits. */
    static String newToken() {
        return randomUrlSafe(32);
    }

    /**
     * Hex SHA-256 of the token. No salt or slow hash is needed: the token is 256 random bits,
     * so there is no dictionary to guess from, and the hash must stay a plain lookup key.
     */
    static String hash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime ships SHA-256", e);
        }
    }

    private static String randomUrlSafe(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return URL_SAFE.encodeToString(random);
    }
}
