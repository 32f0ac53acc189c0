package dev.clusterconnect.routes.component.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/**
 * The agent's reconnect backoff cap comes from its endpoint URI (agent.tunnel.reconnect-backoff-max-ms):
 * an agent whose relay came back after a long outage returns within the cap, not 30 s later.
 */
class ReconnectBackoffTest {

    private static final String AGENT = "tunnel:relay?url=wss://relay.example/agent/v1/connect&clusterId=c1";

    @Test
    void theCapOfTheEndpointBoundsEveryDelay() throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            Backoff capped = context.getEndpoint(AGENT + "&reconnectBackoffMax=1000", TunnelEndpoint.class)
                    .reconnectBackoff();
            Backoff standard = context.getEndpoint(AGENT, TunnelEndpoint.class).reconnectBackoff();
            long longestCapped = 0;
            long longestStandard = 0;
            for (int attempt = 0; attempt < 12; attempt++) {
                longestCapped = Math.max(longestCapped, capped.next().toMillis());
                longestStandard = Math.max(longestStandard, standard.next().toMillis());
            }
            assertThat(longestCapped).isBetween(500L, 1000L);
            assertThat(longestStandard).as("the default cap, 30 s").isBetween(15_000L, 30_000L);
        }
    }

    @Test
    void aCapBelowTheFirstDelayIsTheFirstDelayAndZeroIsRefused() throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            Backoff tiny = context.getEndpoint(AGENT + "&reconnectBackoffMax=200", TunnelEndpoint.class)
                    .reconnectBackoff();
            assertThat(tiny.next().toMillis()).isBetween(100L, 200L);
            TunnelEndpoint none = context.getEndpoint(AGENT + "&reconnectBackoffMax=0", TunnelEndpoint.class);
            assertThatThrownBy(none::reconnectBackoff).hasMessageContaining("reconnectBackoffMax");
        }
    }
}
