package dev.clusterconnect.proxy.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CachingTokenSourceTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    private final AtomicInteger fetches = new AtomicInteger();

    /** Issues a new one-hour token on every call. */
    private final TokenSource hourlyTokens = () -> {
        fetches.incrementAndGet();
        return Token.of(TestJwts.expiringAt(clock.instant().plus(Duration.ofHours(1))));
    };

    @Test
    void tokenIsReusedUntilItIsDueForRefresh() {
        CachingTokenSource cache = new CachingTokenSource(hourlyTokens, RefreshPolicy.DEFAULT, clock);
        Token first = cache.token();

        clock.advance(Duration.ofMinutes(54));
        assertSame(first, cache.token());

        clock.advance(Duration.ofMinutes(1));
        assertNotEquals(first, cache.token());
        assertEquals(2, fetches.get());
    }

    @Test
    void aTokenIsAtHandOnlyWhileTheCacheIsFreshAndAskingNeverFetches() {
        CachingTokenSource cache = new CachingTokenSource(hourlyTokens, RefreshPolicy.DEFAULT, clock);
        assertEquals(java.util.Optional.empty(), cache.tokenAtHand());
        assertEquals(0, fetches.get());

        Token first = cache.token();
        assertEquals(java.util.Optional.of(first), cache.tokenAtHand());

        clock.advance(Duration.ofMinutes(55));
        assertEquals(
                java.util.Optional.empty(),
                cache.tokenAtHand(),
                "due for refresh: the caller goes off the loop to token()");
        assertEquals(1, fetches.get());
    }

    @Test
    void concurrentCallersShareOneRefresh() throws Exception {
        CountDownLatch inDelegate = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        TokenSource slow = () -> {
            inDelegate.countDown();
            await(release);
            return hourlyTokens.token();
        };
        CachingTokenSource cache = new CachingTokenSource(slow, RefreshPolicy.DEFAULT, clock);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch started = new CountDownLatch(8);
            List<Future<Token>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(() -> {
                    started.countDown();
                    return cache.token();
                }));
            }
            assertTrue(inDelegate.await(10, TimeUnit.SECONDS));
            assertTrue(started.await(10, TimeUnit.SECONDS));
            release.countDown();
            Token token = results.get(0).get(10, TimeUnit.SECONDS);
            for (Future<Token> result : results) {
                assertSame(token, result.get(10, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, fetches.get());
    }

    @Test
    void failedEarlyRefreshKeepsServingTheValidTokenAndRetriesLater() {
        AtomicInteger calls = new AtomicInteger();
        TokenSource flaky = () -> {
            if (calls.incrementAndGet() == 2) {
                throw new TokenException("identity provider unavailable");
            }
            return hourlyTokens.token();
        };
        CachingTokenSource cache = new CachingTokenSource(flaky, RefreshPolicy.DEFAULT, clock);
        Token first = cache.token();
        clock.advance(Duration.ofMinutes(56));

        assertSame(first, cache.token());
        assertSame(first, cache.token());
        assertEquals(2, calls.get(), "retried before the back-off elapsed");

        clock.advance(CachingTokenSource.RETRY_AFTER_FAILURE);
        assertNotEquals(first, cache.token());
    }

    @Test
    void failureWithoutAValidTokenIsReported() {
        CachingTokenSource cache = new CachingTokenSource(
                () -> {
                    throw new TokenException("no token for you");
                },
                RefreshPolicy.DEFAULT,
                clock);

        assertEquals(
                "no token for you",
                assertThrows(TokenException.class, cache::token).getMessage());
    }

    @Test
    void invalidateForcesANewToken() {
        CachingTokenSource cache = new CachingTokenSource(hourlyTokens, RefreshPolicy.DEFAULT, clock);
        Token first = cache.token();

        cache.invalidate();

        assertNotEquals(first, cache.token());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
