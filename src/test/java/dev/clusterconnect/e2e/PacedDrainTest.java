package dev.clusterconnect.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.clusterconnect.relay.store.RelayDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A draining replica tells its agents to move a few at a time (relay.shutdown.agents-moving-at-once)
 * and serves the ones not yet told meanwhile, for clients whose requests reach it through a peer.
 * Here one at a time, and the first agent told is held by an open watch (it closes its old tunnel
 * only once idle), so the others stay untold for as long as the test likes: they must keep their
 * presence at the draining replica and answer every request, though no client reaches that
 * replica directly any more (HAProxy took it out). With a reconnect-wait of 1 s, a replica that
 * skipped draining holders would answer those requests 503.
 */
class PacedDrainTest {

    private static final int CLUSTERS = 6;

    @Test
    void agentsMoveOneAtATimeAndThoseNotYetToldServeThroughTheDrainingReplica() throws Exception {
        try (RelayReplicas scene = RelayReplicas.start(
                        2,
                        CLUSTERS,
                        true,
                        Map.of(
                                "RELAY_SHUTDOWN_AGENTS_MOVING_AT_ONCE", "1",
                                "RELAY_SHUTDOWN_DRAIN_TIMEOUT", "60s",
                                "RELAY_TUNNEL_RECONNECT_WAIT", "1s"));
                RelayDatabase store = RelayDatabase.open(scene.database.url(), PostgresDatabase.USER, null)) {
            String draining = RelayReplicas.instanceId(0);
            List<Integer> held = heldBy(scene, store, draining);
            assertThat(held)
                    .as("HAProxy's round robin puts agents on both replicas")
                    .hasSizeGreaterThanOrEqualTo(2);
            List<Kubectl.Running> watches = new ArrayList<>();
            for (int c : held) {
                Kubectl.Running watch =
                        scene.kubectl().start("--context=" + scene.context(c), "get", "configmaps", "-w");
                watches.add(watch);
            }
            scene.kubectl(held.get(0), "create", "configmap", "before-drain", "--from-literal=k=v")
                    .ok(); // one apiserver behind all
            for (Kubectl.Running watch : watches) {
                watch.awaitLine("before-drain", Duration.ofSeconds(15));
            }

            CompletableFuture<Integer> stopped = CompletableFuture.supplyAsync(() -> {
                try {
                    return scene.stop(0);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            // The first agent told leaves its cluster's presence at once, and stays: its watch is open.
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> heldBy(scene, store, draining).size() == held.size() - 1);
            List<Integer> untold = heldBy(scene, store, draining);
            long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            int answered = 0;
            while (System.nanoTime() < until) {
                assertThat(heldBy(scene, store, draining))
                        .as("no second agent is told while the first moves")
                        .isEqualTo(untold);
                for (int c : untold) {
                    assertThat(scene.kubectl(c, "get", "configmap", "before-drain", "-o", "name")
                                    .ok()
                                    .out())
                            .isEqualTo("configmap/before-drain\n");
                    answered++;
                }
            }
            System.out.printf(
                    "paced drain: %d untold cluster(s) answered %d requests through the draining replica%n",
                    untold.size(), answered);

            for (Kubectl.Running watch : watches) {
                watch.close();
            }
            assertThat(stopped.get(60, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(143);
            assertThat(heldBy(scene, store, draining)).isEmpty();
            assertThat(heldBy(scene, store, RelayReplicas.instanceId(1))).hasSize(CLUSTERS);
            assertThat(scene.log(0)).doesNotContain("drain deadline");
            scene.awaitAllClustersAnswer(Duration.ofSeconds(30));
        }
    }

    private static List<Integer> heldBy(RelayReplicas scene, RelayDatabase store, String instanceId) {
        List<Integer> held = new ArrayList<>();
        for (int c = 0; c < CLUSTERS; c++) {
            if (store.presence().liveHolders(scene.clusterIds.get(c)).contains(instanceId)) {
                held.add(c);
            }
        }
        return held;
    }
}
