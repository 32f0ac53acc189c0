package dev.clusterconnect.routes.component.tunnel;

import dev.clusterconnect.routes.http.RequestHead;
import dev.clusterconnect.routes.metrics.Metrics;
import dev.clusterconnect.routes.tunnel.Drain;
import dev.clusterconnect.routes.tunnel.SessionListener;
import dev.clusterconnect.routes.tunnel.TunnelSession;
import dev.clusterconnect.routes.tunnel.TunnelStream;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Agent side: the one tunnel to the relay. Dials, reconnects with backoff and jitter, opens the
 * next tunnel before the old one goes when the relay drains (make before break), and drains the
 * tunnel on stop. Streams the relay opens go to {@code streams}, which makes them exchanges.
 */
final class RelayConnection implements SessionListener {

    private static final Logger LOG = LoggerFactory.getLogger(RelayConnection.class);
    /** A tunnel that lived this long was healthy: the next outage starts the backoff afresh. */
    private static final Duration STABLE = Duration.ofSeconds(30);
    /** Open streams get this long to finish on stop; Camel's own shutdown timeout bounds the whole stop. */
    private static final Duration STOP_DRAIN = Duration.ofSeconds(5);

    private final TunnelEndpoint endpoint;
    private final SessionListener streams;
    private final Backoff backoff;
    private final AtomicBoolean dialing = new AtomicBoolean();
    private volatile TunnelSession session;
    private volatile boolean running;
    private volatile long connectedAt;
    private EventLoopGroup group;

    RelayConnection(TunnelEndpoint endpoint, SessionListener streams) {
        this.endpoint = endpoint;
        this.streams = streams;
        this.backoff = endpoint.reconnectBackoff();
    }

    /** The current tunnel, or null while disconnected. */
    TunnelSession session() {
        return session;
    }

    boolean isConnected() {
        TunnelSession current = session;
        return current != null && !current.isClosed();
    }

    /** Dials on {@code group}'s threads, and keeps dialing until {@link #stop}. */
    void start(EventLoopGroup group) {
        this.group = group;
        running = true;
        dial();
    }

    /** No more dials; the current tunnel takes no new stream and closes once its streams finish, or at the deadline. */
    void stop() throws InterruptedException {
        running = false;
        TunnelSession current = session;
        if (current != null) {
            Drain.within(STOP_DRAIN).tunnel(current, "agent is shutting down");
        }
    }

    /**
     * Dials unless a healthy tunnel is up or a dial is under way: a GOAWAY, a closed tunnel and a
     * scheduled retry may all ask for one, and the agent must still end up with exactly one.
     */
    private void dial() {
        TunnelSession current = session;
        if (!running || (current != null && current.isAcceptingStreams()) || !dialing.compareAndSet(false, true)) {
            return;
        }
        TunnelDialer.toRelay(endpoint, group).dial().addListener(f -> {
            dialing.set(false);
            if (f.isSuccess()) {
                up((Channel) f.getNow());
            } else {
                Duration asked =
                        f.cause() instanceof TunnelRefusedException refused ? refused.retryAfter() : Duration.ZERO;
                retryLater(f.cause().getMessage(), asked);
            }
        });
    }

    private void up(Channel channel) {
        connectedAt = System.nanoTime();
        TunnelSession previous = session;
        session = TunnelSession.start(
                channel, TunnelSession.Role.AGENT, endpoint.settings(), this, endpoint.getClusterId());
        LOG.info("tunnel to {} is up", endpoint.uri().getHost());
        // Make before break: a draining predecessor closes once its last stream is done.
        if (previous != null && previous.isDraining() && previous.openStreams() == 0) {
            previous.close();
        }
        if (!running) {
            session.close();
        }
    }

    /**
     * @param asked the relay's Retry-After (a busy relay's 429): waited on top of the backoff, so
     *     agents refused together do not all come back together either
     */
    private void retryLater(String why, Duration asked) {
        if (!running) {
            return;
        }
        Metrics.reconnect();
        Duration delay = asked.plus(backoff.next());
        LOG.warn("tunnel to {} is down ({}); retrying in {} ms", endpoint.uri().getHost(), why, delay.toMillis());
        group.schedule(this::dial, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void onOpen(TunnelStream stream, RequestHead head) {
        streams.onOpen(stream, head);
    }

    @Override
    public void onClosed(TunnelSession closed) {
        if (closed != session) {
            return; // a drained tunnel whose successor is already up
        }
        session = null;
        if (System.nanoTime() - connectedAt > STABLE.toNanos()) {
            backoff.reset();
        }
        retryLater("connection closed", Duration.ZERO);
    }

    @Override
    public void onIdle(TunnelSession idle) {
        // The relay asked us to move: once the new tunnel carries the work, the old one can go.
        if (idle != session) {
            idle.close();
        }
    }

    @Override
    public void onGoAway(TunnelSession draining, String reason) {
        // Make before break: the relay is going away, so open the next tunnel now (the load
        // balancer sends it to another replica; a draining one refuses it) while the old one
        // finishes its streams. The relay closes the old one.
        if (running && draining == session) {
            backoff.reset();
            group.execute(this::dial);
        }
    }
}
