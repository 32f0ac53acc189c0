package dev.clusterconnect.relay;

import dev.clusterconnect.routes.component.tunnel.AgentRegistry;
import java.time.Duration;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When the relay begins to stop, before its routes do: GOAWAY to every agent (no new streams;
 * they dial again, reaching another replica or this one when it is back), then open streams get
 * until {@code relay.shutdown.drain-timeout} to finish before the tunnels close. A request in
 * flight ends complete or with a clean error, never a hang.
 */
final class DrainOnStop extends EventNotifierSupport {

    private static final Logger LOG = LoggerFactory.getLogger(DrainOnStop.class);

    private final AgentRegistry agents;
    private final Duration deadline;

    DrainOnStop(AgentRegistry agents, Duration deadline) {
        this.agents = agents;
        this.deadline = deadline;
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.CamelContextStoppingEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        LOG.info("draining {} tunnel(s) with {} open stream(s), up to {} s", agents.tunnels(), agents.openStreams(), deadline.toSeconds());
        try {
            agents.drain(deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
