package dev.clusterconnect.routes.component.tunnel;

import dev.clusterconnect.routes.tunnel.TunnelSession;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The relay's wait for an agent's response head on one stream. An agent that took the stream and
 * never answers (its apiserver hung, or the agent did) would otherwise hold the client forever;
 * heartbeats only notice a dead tunnel, not a silent stream. Only the head: exec answers 101 at
 * once, and a watch or {@code logs -f} sends its head at once and its body for hours.
 */
final class HeadDeadline {

    private final Duration timeout;
    private volatile ScheduledFuture<?> timer;
    private volatile boolean cancelled;

    HeadDeadline(Duration timeout) {
        this.timeout = timeout;
    }

    /** Runs {@code onExpiry} on the tunnel's event loop unless {@link #cancel()} came first. */
    void arm(TunnelSession session, Runnable onExpiry) {
        timer = session.channel().eventLoop().schedule(onExpiry, timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (cancelled) {
            timer.cancel(false); // the head came back before the timer was set
        }
    }

    /** The head arrived, or the stream ended first. From any thread. */
    void cancel() {
        cancelled = true;
        ScheduledFuture<?> armed = timer;
        if (armed != null) {
            armed.cancel(false);
        }
    }

    String describe() {
        long millis = timeout.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }
}
