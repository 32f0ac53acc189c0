package dev.clusterconnect.routes.health;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A readiness check of something remote (the apiserver, the relay) that the health endpoint may
 * ask as often as the kubelet likes, on an event loop: {@link #answers()} never waits. It returns
 * the last result and, when that is older than the maximum age, starts one new check in the
 * background; until the first check has answered, the answer is no.
 */
public final class CachedProbe {

    private final Supplier<CompletableFuture<Boolean>> check;
    private final long maxAgeNanos;
    private final LongSupplier clock;
    private final AtomicBoolean checking = new AtomicBoolean();
    private volatile boolean answers;
    private volatile long checkedAt;
    private volatile boolean checkedOnce;

    /**
     * @param check starts one check; its future completes with whether the remote answered (a
     *     failed future counts as no)
     */
    public CachedProbe(Supplier<CompletableFuture<Boolean>> check, java.time.Duration maxAge, LongSupplier clock) {
        this.check = check;
        this.maxAgeNanos = maxAge.toNanos();
        this.clock = clock;
    }

    public CachedProbe(Supplier<CompletableFuture<Boolean>> check, java.time.Duration maxAge) {
        this(check, maxAge, System::nanoTime);
    }

    /** The last result; starts a fresh check when it is stale and none is running. */
    public boolean answers() {
        if ((!checkedOnce || clock.getAsLong() - checkedAt > maxAgeNanos) && checking.compareAndSet(false, true)) {
            CompletableFuture<Boolean> started;
            try {
                started = check.get();
            } catch (RuntimeException e) {
                started = CompletableFuture.failedFuture(e);
            }
            started.whenComplete((ok, failure) -> {
                answers = failure == null && Boolean.TRUE.equals(ok);
                checkedAt = clock.getAsLong();
                checkedOnce = true;
                checking.set(false);
            });
        }
        return answers;
    }
}
