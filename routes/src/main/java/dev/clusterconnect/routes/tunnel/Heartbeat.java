package dev.clusterconnect.routes.tunnel;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a PING every interval and closes the connection when nothing at all has arrived for the
 * timeout: a dead peer (or a middlebox that silently dropped the connection) is noticed within the
 * timeout, and the regular traffic keeps idle NAT and proxy entries alive.
 */
final class Heartbeat {

    private static final Logger LOG = LoggerFactory.getLogger(Heartbeat.class);

    private final TunnelSession session;
    private final long intervalNanos;
    private final long timeoutNanos;
    private volatile long lastReceived = System.nanoTime();
    private ScheduledFuture<?> task;

    Heartbeat(TunnelSession session, TunnelSettings settings) {
        this.session = session;
        this.intervalNanos = settings.heartbeatInterval().toNanos();
        this.timeoutNanos = settings.heartbeatTimeout().toNanos();
    }

    /** With a fixed delay, not rate: after a stalled loop the missed PINGs are not all sent at once (10,000 tunnels' worth). */
    void start() {
        task = session.channel()
                .eventLoop()
                .scheduleWithFixedDelay(this::tick, intervalNanos, intervalNanos, TimeUnit.NANOSECONDS);
    }

    void stop() {
        if (task != null) {
            task.cancel(false);
        }
    }

    void received() {
        lastReceived = System.nanoTime();
    }

    private void tick() {
        long now = System.nanoTime();
        if (now - lastReceived > timeoutNanos) {
            LOG.warn(
                    "tunnel {}: nothing received for {} ms, closing",
                    session.name(),
                    TimeUnit.NANOSECONDS.toMillis(now - lastReceived));
            session.close();
            return;
        }
        session.sendPing(now);
    }
}
