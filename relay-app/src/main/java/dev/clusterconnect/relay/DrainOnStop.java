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
 */
final class DrainOnStop extends EventNotifierSupport {

    private final Replicas replicas;
    private final Duration deadline;
    private final Runnable stopTakingConnections;

    DrainOnStop(Replicas replicas, Duration deadline, Runnable stopTakingConnections) {
        this.replicas = replicas;
        this.stopTakingConnections = stopTakingConnections;
        this.deadline = deadline;
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.CamelContextStoppingEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        try {
            replicas.drain(deadline, stopTakingConnections);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
