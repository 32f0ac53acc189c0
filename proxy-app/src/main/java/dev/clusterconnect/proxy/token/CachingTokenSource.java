package dev.clusterconnect.proxy.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the last token of another source and asks it for a new one ahead of expiry (see
 * {@link RefreshPolicy}). Safe to call from many threads: a fresh token costs a volatile read,
 * and only one thread at a time refreshes while the others wait for its result.
 *
 * <p>If a refresh fails while the cached token has not expired yet, the cached token is still
 * returned and the refresh is retried after {@link #RETRY_AFTER_FAILURE}, so a brief identity
 * provider outage does not fail requests that would have succeeded.
 */
public final class CachingTokenSource implements TokenSource {

    /** How long to keep serving the old token after a failed early refresh before trying again. */
    public static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(CachingTokenSource.class);

    private final TokenSource delegate;
    private final RefreshPolicy policy;
    private final Clock clock;
    private final ReentrantLock refreshing = new ReentrantLock();
    private volatile Cached cached;

    /**
     * @param delegate where tokens come from
     * @param policy   when to refresh
     * @param clock    the time source
     */
    public CachingTokenSource(TokenSource delegate, RefreshPolicy policy, Clock clock) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Caches {@code delegate} with the {@link RefreshPolicy#DEFAULT default policy}. */
    public CachingTokenSource(TokenSource delegate) {
        this(delegate, RefreshPolicy.DEFAULT, Clock.systemUTC());
    }

    @Override
    public Token token() {
        Cached current = cached;
        if (current != null && current.isFresh(clock.instant())) {
            return current.token;
        }
        refreshing.lock();
        try {
            current = cached;
            Instant now = clock.instant();
            if (current != null && current.isFresh(now)) {
                return current.token;
            }
            return refresh(current, now);
        } finally {
            refreshing.unlock();
        }
    }

    @Override
    public java.util.Optional<Token> tokenAtHand() {
        Cached current = cached;
        return current != null && current.isFresh(clock.instant())
                ? java.util.Optional.of(current.token)
                : java.util.Optional.empty();
    }

    /** Forgets the cached token, e.g. after the server answered 401 to it. */
    public void invalidate() {
        cached = null;
    }

    private Token refresh(Cached current, Instant now) {
        try {
            Token fresh = delegate.token();
            cached = new Cached(fresh, now, null);
            return fresh;
        } catch (TokenException e) {
            if (current == null || current.token.isExpiredAt(now)) {
                throw e;
            }
            LOG.warn(
                    "Could not refresh the token, using the current one until it expires at {}: {}",
                    current.token.expiresAt(),
                    e.getMessage());
            cached = new Cached(current.token, current.fetchedAt, now.plus(RETRY_AFTER_FAILURE));
            return current.token;
        }
    }

    private final class Cached {
        private final Token token;
        private final Instant fetchedAt;
        private final Instant retryAt;

        private Cached(Token token, Instant fetchedAt, Instant retryAt) {
            this.token = token;
            this.fetchedAt = fetchedAt;
            this.retryAt = retryAt;
        }

        private boolean isFresh(Instant now) {
            if (token.isExpiredAt(now)) {
                return false;
            }
            if (retryAt != null) {
                return now.isBefore(retryAt);
            }
            return !policy.shouldRefresh(token, fetchedAt, now);
        }
    }
}
