package dev.clusterconnect.relay;

import dev.clusterconnect.relay.store.RelayDatabase;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes what has outlived its use from the store, on a daemon thread: bootstrap tokens past
 * their expiry (used or not; they would only answer "expired" instead of "unknown"). With several
 * replicas on one PostgreSQL each purges too; that is harmless, a DELETE of rows already gone
 * deletes nothing.
 */
final class StoreHousekeeping implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StoreHousekeeping.class);
    // Tokens live an hour by default: an hourly purge keeps at most about two hours' worth.
    static final Duration INTERVAL = Duration.ofHours(1);

    private final ScheduledExecutorService timer;
    private final Duration interval;

    /** Runs the purge now (a relay restarted more often than hourly still purges) and every interval. */
    StoreHousekeeping(Runnable purge, Duration interval) {
        this.interval = interval;
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "relay-store-housekeeping");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(() -> runGuarded(purge), 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    static StoreHousekeeping start(RelayDatabase database) {
        return new StoreHousekeeping(purgeOf(database), INTERVAL);
    }

    /** The purge of the relay's store; its own method so it can be run once, by hand. */
    static Runnable purgeOf(RelayDatabase database) {
        return () -> {
            int tokens = database.bootstrapTokens().deleteExpired();
            if (tokens > 0) {
                LOG.info("purged {} expired bootstrap tokens", tokens);
            }
        };
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    private void runGuarded(Runnable purge) {
        try {
            purge.run();
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again: a database outage must only skip a turn.
            LOG.warn("store housekeeping failed, next try in {}: {}", interval, e.getMessage());
        }
    }
}
