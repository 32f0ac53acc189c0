package dev.clusterconnect.relay;

import dev.clusterconnect.relay.replicas.Replicas;
import java.time.Duration;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * When the relay begins to stop, before its routes do, it drains ({@link Replicas#drain}): agents
 * move to other replicas (GOAWAY, make before break), open streams get until {@code
 * relay.shutdown.drain-timeout} to finish before the tunnels close. A request in flight ends
 * complete or with a clean error, never a hang.
 *
 * <p>Camel Main forces the JVM out {@code camel.main.shutdown-timeout} + {@code
 * camel.main.extra-shutdown-timeout} after SIGTERM, and the drain runs inside that time, so
 * {@link #coverDrain} makes the first at least as long as the drain.
 */
final class DrainOnStop extends EventNotifierSupport {

    private final Replicas replicas;
    private final Duration deadline;
    private final Runnable stopClients;
    private final Runnable stopPeers;

    DrainOnStop(Replicas replicas, Duration deadline, Runnable stopClients, Runnable stopPeers) {
        this.replicas = replicas;
        this.deadline = deadline;
        this.stopClients = stopClients;
        this.stopPeers = stopPeers;
    }

    /**
     * Raises the context's shutdown timeout to the drain's whole length (unready delay, drain
     * deadline, and a margin for closing and deregistering) when it is shorter: a drain cut by
     * Camel's forced exit closes no tunnel in order and leaves this replica's rows to the sweep.
     */
    static void coverDrain(org.apache.camel.CamelContext context, Duration unreadyDelay, Duration deadline) {
        long needed = unreadyDelay.plus(deadline).plusSeconds(10).toSeconds();
        org.apache.camel.spi.ShutdownStrategy strategy = context.getShutdownStrategy();
        if (strategy.getTimeUnit().toSeconds(strategy.getTimeout()) < needed) {
            strategy.setTimeUnit(java.util.concurrent.TimeUnit.SECONDS);
            strategy.setTimeout(needed);
        }
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.CamelContextStoppingEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        try {
            replicas.drain(deadline, stopClients, stopPeers);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
