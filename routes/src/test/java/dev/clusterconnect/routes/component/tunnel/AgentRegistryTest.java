package dev.clusterconnect.routes.component.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clusterconnect.routes.tunnel.SessionListener;
import dev.clusterconnect.routes.tunnel.TunnelSession;
import dev.clusterconnect.routes.tunnel.TunnelSettings;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentRegistryTest {

    private static TunnelSession session(String name) {
        return TunnelSession.start(
                new EmbeddedChannel(),
                TunnelSession.Role.RELAY,
                TunnelSettings.defaults(),
                new SessionListener() {},
                name);
    }

    @Test
    void replicasOfOneClusterShareItsStreamsInTurn() {
        AgentRegistry registry = new AgentRegistry();
        TunnelSession a = session("a");
        TunnelSession b = session("b");
        registry.add("c1", a);
        registry.add("c1", b);
        List<TunnelSession> picked = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            picked.add(registry.pick("c1"));
        }
        assertThat(picked).containsOnly(a, b);
        assertThat(picked.stream().filter(a::equals).count()).isEqualTo(3);
    }

    @Test
    void aDrainingOrClosedReplicaIsSkippedAndAClusterWithoutOneIsNotConnected() {
        AgentRegistry registry = new AgentRegistry();
        TunnelSession a = session("a");
        TunnelSession b = session("b");
        registry.add("c1", a);
        registry.add("c1", b);
        a.goAway("draining");
        ((EmbeddedChannel) a.channel()).runPendingTasks();
        for (int i = 0; i < 4; i++) {
            assertThat(registry.pick("c1")).isSameAs(b);
        }
        registry.remove("c1", b);
        assertThat(registry.pick("c1")).isNull();
        assertThat(registry.isConnected("c1")).isFalse();
        assertThat(registry.isConnected("other")).isFalse();
    }

    @Test
    void agentsAreToldToMoveAFewAtATimeAndEachLeavesItsClusterWhenTold() {
        AgentRegistry registry = new AgentRegistry();
        List<String> gone = new ArrayList<>();
        registry.onDisconnect((clusterId, session) -> gone.add(clusterId));
        List<TunnelSession> sessions = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            TunnelSession session = session("s" + i);
            sessions.add(session);
            registry.add("c" + i, session);
        }

        assertThat(registry.goAwayInTurn(2, "draining")).isEqualTo(3);
        assertThat(gone).hasSize(2);
        assertThat(registry.leaving()).isEqualTo(2);
        assertThat(registry.tunnels()).isEqualTo(5);
        for (String clusterId : gone) {
            assertThat(registry.isConnected(clusterId)).isFalse();
            assertThat(registry.hasTunnel(clusterId))
                    .as("still open while its agent moves")
                    .isTrue();
        }
        // nobody closed yet: nobody more is told
        assertThat(registry.goAwayInTurn(2, "draining")).isEqualTo(3);
        assertThat(gone).hasSize(2);

        // one agent closes its old tunnel (it moved): one more is told; the close tells no listener again
        TunnelSession moved = sessions.stream()
                .filter(s -> !registry.isConnected(clusterOf(sessions, s)))
                .findFirst()
                .orElseThrow();
        registry.remove(clusterOf(sessions, moved), moved);
        assertThat(gone).hasSize(2);
        assertThat(registry.goAwayInTurn(2, "draining")).isEqualTo(2);
        assertThat(gone).hasSize(3).doesNotHaveDuplicates();
        assertThat(registry.tunnels()).isEqualTo(4);
        assertThat(registry.hasTunnel(clusterOf(sessions, moved))).isFalse();
    }

    @Test
    void aTunnelToldToMoveSendsGoAwayAndTakesNoNewStream() {
        AgentRegistry registry = new AgentRegistry();
        TunnelSession a = session("a");
        registry.add("c1", a);
        registry.goAwayInTurn(10, "draining");
        ((EmbeddedChannel) a.channel()).runPendingTasks();
        Object goAway = ((EmbeddedChannel) a.channel()).readOutbound();
        assertThat(goAway).as("a GOAWAY frame went out").isNotNull();
        assertThat(a.isAcceptingStreams()).isFalse();
        assertThat(registry.pick("c1")).isNull();
        assertThat(registry.openStreams()).isZero();
        registry.closeAll();
        assertThat(a.channel().isActive()).isFalse();
    }

    private static String clusterOf(List<TunnelSession> sessions, TunnelSession session) {
        return "c" + sessions.indexOf(session);
    }
}
