package dev.clusterconnect.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The multi-replica harness itself, on the smallest scene: one relay replica (peers on) behind
 * HAProxy, two clusters, the real kubectl. The replica may be killed and restarted under the same
 * instance id: it takes its old lease row over, comes back on its ports, and the agents find it
 * again through the load balancer. Alone, it stops at once on SIGTERM: no other replica to move to.
 */
class RelayReplicasSmokeTest {

    private static RelayReplicas scene;

    @BeforeAll
    static void start() throws Exception {
        scene = RelayReplicas.start(1, 2, true);
    }

    @AfterAll
    static void stop() throws Exception {
        if (scene != null) {
            List<ProcessHandle> processes = scene.processes();
            scene.close();
            assertThat(processes).as("relays and HAProxy left behind").noneMatch(ProcessHandle::isAlive);
        }
    }

    @Test
    void kubectlReachesEveryClusterThroughTheLoadBalancer() throws Exception {
        for (int c = 0; c < scene.clusterIds.size(); c++) {
            assertThat(scene.kubectl(c, "get", "ns").ok().out()).contains("default");
        }
        assertThat(scene.haproxy.serverStates()).containsEntry("r0", "UP");
    }

    @Test
    void aKilledReplicaComesBackOnItsPortsAndTheAgentsReconnect() throws Exception {
        assertThat(scene.kill(0)).as("exit code of SIGKILL").isEqualTo(128 + 9);
        scene.haproxy.awaitDown(0, Duration.ofSeconds(5));
        scene.start(0);
        scene.awaitReady(0);
        scene.haproxy.awaitUp(0, Duration.ofSeconds(5));
        scene.awaitAllClustersAnswer(Duration.ofSeconds(60));
        assertThat(scene.kubectl(1, "get", "pods").ok().out()).contains("demo-0");
    }

    @Test
    void aStoppedReplicaExitsOnSigtermAndStartsAgain() throws Exception {
        assertThat(scene.stop(0)).as("exit code after SIGTERM").isEqualTo(128 + 15);
        scene.start(0);
        scene.awaitReady(0);
        scene.awaitAllClustersAnswer(Duration.ofSeconds(60));
        assertThat(scene.kubectl(0, "get", "ns").ok().out()).contains("default");
    }
}
