package dev.clusterconnect.routes.component.tunnel;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter: after a relay outage, thousands of agents spread their
 * reconnects over the whole interval instead of arriving together.
 */
final class Backoff {

    private final long baseMillis;
    private final long capMillis;
    private int attempt;

    Backoff(Duration base, Duration cap) {
        this.baseMillis = base.toMillis();
        this.capMillis = cap.toMillis();
    }

    Duration next() {
        long ceiling = Math.min(capMillis, baseMillis << Math.min(attempt, 20));
        attempt++;
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1));
    }

    void reset() {
        attempt = 0;
    }
}
