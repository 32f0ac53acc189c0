package dev.clusterconnect.routes.component.tunnel;

import dev.clusterconnect.routes.http.RequestHead;
import dev.clusterconnect.routes.tunnel.TunnelSession;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Agent side: keeps one tunnel to the relay up (reconnecting with backoff and jitter) and turns
 * every stream the relay opens into one exchange whose body is an {@link HttpCall}.
 */
public final class TunnelConsumer extends StreamConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(TunnelConsumer.class);
    /** A tunnel that lived this long was healthy: the next outage starts the backoff afresh. */
    private static final Duration STABLE = Duration.ofSeconds(30);

    private final Backoff backoff;
    private volatile TunnelSession session;
    private volatile boolean running;
    private final java.util.concurrent.atomic.AtomicBoolean dialing = new java.util.concurrent.atomic.AtomicBoolean();
    private EventLoopGroup group;
    private long connectedAt;

    public TunnelConsumer(TunnelEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.backoff = endpoint.reconnectBackoff();
    }

    /** The current tunnel, or null while disconnected. */
    public TunnelSession session() {
        return session;
    }

    public boolean isConnected() {
        TunnelSession current = session;
        return current != null && !current.isClosed();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        group = getEndpoint().getComponent().workers();
        running = true;
        getEndpoint().getComponent().attachDialer(this);
        dial();
    }

    @Override
    protected void doStop() throws Exception {
        running = false;
        getEndpoint().getComponent().detachDialer(this);
        TunnelSession current = session;
        if (current != null) {
            // No new streams; those open get a short while to finish (Camel's own shutdown
            // timeout bounds the whole stop).
            current.goAway("agent is shutting down");
            long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
            while (current.openStreams() > 0 && System.nanoTime() < until) {
                Thread.sleep(50); // polling a shutdown deadline, not a test condition
            }
            current.close();
        }
        super.doStop();
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
        TunnelDialer.toRelay(getEndpoint(), group).dial().addListener(f -> {
            dialing.set(false);
            if (f.isSuccess()) {
                Channel channel = (Channel) f.getNow();
                connectedAt = System.nanoTime();
                TunnelSession previous = session;
                session = TunnelSession.start(channel, TunnelSession.Role.AGENT, getEndpoint().settings(), this,
                        getEndpoint().getClusterId());
                LOG.info("tunnel to {} is up", getEndpoint().uri().getHost());
                // Make before break: a draining predecessor closes once its last stream is done.
                if (previous != null && previous.isDraining() && previous.openStreams() == 0) {
                    previous.close();
                }
                if (!running) {
                    session.close();
                }
            } else {
                Duration asked = f.cause() instanceof TunnelRefusedException refused ? refused.retryAfter() : Duration.ZERO;
                retryLater(f.cause().getMessage(), asked);
            }
        });
    }

    private void retryLater(String why) {
        retryLater(why, Duration.ZERO);
    }

    /**
     * @param asked the relay's Retry-After (a busy relay's 429): waited on top of the backoff, so
     *     agents refused together do not all come back together either
     */
    private void retryLater(String why, Duration asked) {
        if (!running) {
            return;
        }
        dev.clusterconnect.routes.metrics.Metrics.reconnect();
        Duration delay = asked.plus(backoff.next());
        LOG.warn("tunnel to {} is down ({}); retrying in {} ms", getEndpoint().uri().getHost(), why, delay.toMillis());
        group.schedule(this::dial, delay.toMillis(), TimeUnit.MILLISECONDS);
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
        retryLater("connection closed");
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

    @Override
    protected String clusterIdOf(RequestHead head) {
        return getEndpoint().getClusterId();
    }
}
