package dev.clusterconnect.proxy.token;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When a cached token should be replaced: once less than {@code fraction} of its lifetime or
 * {@code maxMargin} is left, whichever comes later in the token's life. Taking the smaller
 * margin means a long-lived token is renewed a few minutes early, while a token that only lives
 * a few minutes (GitHub's OIDC tokens) is still used for most of its life instead of being
 * fetched again on every request.
 *
 * @param fraction            share of the lifetime kept in reserve, e.g. 0.2
 * @param maxMargin           the most time kept in reserve, e.g. 5 minutes
 * @param unknownExpiryMaxAge how long to reuse a token whose expiry is unknown
 */
public record RefreshPolicy(double fraction, Duration maxMargin, Duration unknownExpiryMaxAge) {

    /** 20% of the lifetime, at most 5 minutes; tokens of unknown expiry are re-read every minute. */
    public static final RefreshPolicy DEFAULT = new RefreshPolicy(0.2, Duration.ofMinutes(5), Duration.ofMinutes(1));

    /** Checks the values make sense. */
    public RefreshPolicy {
        if (fraction < 0 || fraction >= 1) {
            throw new IllegalArgumentException("fraction must be in [0, 1)");
        }
        if (maxMargin.isNegative() || unknownExpiryMaxAge.isNegative()) {
            throw new IllegalArgumentException("durations must not be negative");
        }
    }

    /**
     * @param token     the cached token
     * @param fetchedAt when it was obtained
     * @param now       the current time
     * @return whether to get a new one before using it
     */
    public boolean shouldRefresh(Token token, Instant fetchedAt, Instant now) {
        Optional<Instant> expiry = token.expiry();
        if (expiry.isEmpty()) {
            return !now.isBefore(fetchedAt.plus(unknownExpiryMaxAge));
        }
        Duration lifetime = Duration.between(fetchedAt, expiry.get());
        if (lifetime.isNegative() || lifetime.isZero()) {
            return true;
        }
        Duration share = Duration.ofMillis((long) (lifetime.toMillis() * fraction));
        Duration margin = share.compareTo(maxMargin) < 0 ? share : maxMargin;
        return !now.isBefore(expiry.get().minus(margin));
    }
}
