package dev.clusterconnect.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clusterconnect.routes.component.kubeserver.KubeServerEndpoint;
import dev.clusterconnect.routes.component.tunnel.TunnelEndpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay's limit keys reach the steps that enforce them: the listen socket's timeouts and
 * per-address cap, the handshake cap of the agent route, the stream caps of the client route; and
 * a negative limit stops the relay at start-up, named.
 */
class RelayLimitsTest {

    @TempDir
    Path dir;

    @Test
    void eachLimitKeyReachesTheStepThatEnforcesIt() throws Exception {
        Files.createDirectories(dir);
        try (TestIssuer issuer = new TestIssuer(dir)) {
            TestRelay relay = TestRelay.start(
                    dir,
                    issuer,
                    Map.of(
                            "relay.listen.header-timeout-ms", "7000",
                            "relay.listen.idle-timeout-ms", "8000",
                            "relay.listen.body-timeout-ms", "6000",
                            "relay.listen.max-connections-per-address", "9",
                            "relay.tunnel.max-concurrent-handshakes", "3",
                            "relay.tunnel.max-streams-per-tunnel", "40",
                            "relay.tunnel.max-streams-per-user", "5"));
            try {
                CamelContext camel = relay.main.getCamelContext();
                KubeServerEndpoint connect = (KubeServerEndpoint)
                        camel.getRoute("relay-agent-connect").getEndpoint();
                KubeServerEndpoint clients =
                        (KubeServerEndpoint) camel.getRoute("relay-clients").getEndpoint();

                assertThat(connect.getMaxConcurrentRequests()).isEqualTo(3);
                assertThat(clients.getMaxConcurrentRequests())
                        .as("only handshakes are capped so")
                        .isZero();
                for (String route : List.of(
                        "relay-agent-connect",
                        "relay-agent-enroll",
                        "relay-agent-keys",
                        "relay-clients",
                        "relay-api-create-cluster",
                        "relay-api-revoke-agent-key")) {
                    // an API route's endpoint is the REST DSL's; its consumer is on the listen socket
                    KubeServerEndpoint edge = (KubeServerEndpoint)
                            camel.getRoute(route).getConsumer().getEndpoint();
                    assertThat(List.of(edge.getHeaderTimeout(), edge.getIdleTimeout(), edge.getBodyTimeout(), (long)
                                    edge.getMaxConnectionsPerAddress()))
                            .as(route)
                            .containsExactly(7000L, 8000L, 6000L, 9L);
                }
                assertThat(camel.getEndpoints())
                        .filteredOn(TunnelEndpoint.class::isInstance)
                        .map(TunnelEndpoint.class::cast)
                        .filteredOn(tunnel -> "forward".equals(tunnel.getOperation()))
                        .isNotEmpty()
                        .allSatisfy(tunnel -> {
                            assertThat(tunnel.getMaxStreamsPerTunnel()).isEqualTo(40);
                            assertThat(tunnel.getMaxStreamsPerUser()).isEqualTo(5);
                        });
            } finally {
                relay.close();
            }
        }
    }

    @Test
    void aNegativeLimitStopsTheRelayAtStartUpNamingTheKey() throws Exception {
        try (TestIssuer issuer = new TestIssuer(dir)) {
            assertThatThrownBy(() -> TestRelay.start(dir, issuer, Map.of("relay.tunnel.max-streams-per-user", "-1")))
                    .hasStackTraceContaining("relay.tunnel.max-streams-per-user may not be negative");
        }
    }
}
