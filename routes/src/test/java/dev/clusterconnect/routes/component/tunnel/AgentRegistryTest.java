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
        return TunnelSession.start(new EmbeddedChannel(), TunnelSession.Role.RELAY, TunnelSettings.defaults(), new SessionListener() {}, name);
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
}
