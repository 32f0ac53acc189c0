package dev.clusterconnect.routes.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tokens an authenticator has verified, so that a client's next request with the same token costs
 * a hash lookup instead of a parse, a signature check and a claim mapping (kubectl sends the same
 * token on every request; the benchmark in {@code docs/benchmarks.md} measured the check at a fifth
 * of the relay's and the agent's CPU per small request).
 *
 * <p>Only successes are kept, each until the earlier of the token's {@code exp} and
 * {@link #TIME_TO_LIVE}: a token is never accepted past its expiry, and a signing key the issuer
 * withdraws stops vouching for tokens already seen within that time. Keys are SHA-256 digests, so
 * the map holds no token.
 */
final class VerifiedTokens {

    static final Duration TIME_TO_LIVE = Duration.ofSeconds(60);
    static final int MAX_ENTRIES = 10_000;

    private final Clock clock;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    VerifiedTokens(Clock clock) {
        this.clock = clock;
    }

    /** What the map knows a token by: its SHA-256 digest, computed once per request. */
    static String key(String token) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** The earlier verdict on the token with this {@link #key} while it holds, else null. */
    Authentication.Authenticated find(String key) {
        Entry entry = entries.get(key);
        if (entry == null) {
            return null;
        }
        if (!clock.instant().isBefore(entry.until())) {
            entries.remove(key, entry);
            return null;
        }
        return entry.verdict();
    }

    /** Remembers a verified token by its {@link #key}; one without an expiry is not remembered. */
    void remember(String key, Authentication.Authenticated verdict, Date expiresAt) {
        if (expiresAt == null) {
            return;
        }
        Instant now = clock.instant();
        Instant until =
                expiresAt.toInstant().isBefore(now.plus(TIME_TO_LIVE)) ? expiresAt.toInstant() : now.plus(TIME_TO_LIVE);
        if (entries.size() >= MAX_ENTRIES) {
            entries.values().removeIf(entry -> !now.isBefore(entry.until()));
            if (entries.size() >= MAX_ENTRIES) {
                // More live tokens than the bound: start over rather than track recency on every hit.
                entries.clear();
            }
        }
        entries.put(key, new Entry(verdict, until));
    }

    int size() {
        return entries.size();
    }

    private record Entry(Authentication.Authenticated verdict, Instant until) {}
}
