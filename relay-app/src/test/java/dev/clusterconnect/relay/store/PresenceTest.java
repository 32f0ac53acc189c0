package dev.clusterconnect.relay.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

class PresenceTest {

    @RegisterExtension
    final TestDatabases databases = new TestDatabases();

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aReplicaHoldsAClusterUntilItsLeaseRunsOut(Backend backend) {
        RelayDatabase db = databases.open(backend, clock);
        String cluster = db.clusters().register("alice", "prod").id();
        Presence presence = db.presence();
        presence.register("relay-a", "10.0.0.1:8444", Duration.ofSeconds(10));
        presence.register("relay-b", "10.0.0.2:8444", Duration.ofSeconds(10));

        assertTrue(presence.add(cluster, "relay-a"));
        assertTrue(presence.add(cluster, "relay-a"), "adding twice is harmless");
        assertEquals(List.of("relay-a"), presence.liveHolders(cluster));

        clock.advance(Duration.ofSeconds(8));
        assertTrue(presence.renew("relay-b", Duration.ofSeconds(10), false, false));
        clock.advance(Duration.ofSeconds(3));
        assertEquals(List.of(), presence.liveHolders(cluster), "relay-a stopped renewing");
        assertThat(presence.instances()).extracting(RelayInstance::id).containsExactly("relay-a", "relay-b");

        assertEquals(0, presence.sweep(Duration.ofSeconds(5)), "within the grace the row stays");
        clock.advance(Duration.ofSeconds(5));
        assertEquals(1, presence.sweep(Duration.ofSeconds(5)));
        assertThat(presence.instances()).extracting(RelayInstance::id).containsExactly("relay-b");
        assertEquals(Map.of(), presence.holdersByCluster(), "the presence went with its replica");
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void replaceRewritesWhatAReplicaHoldsAndRegistersItAgain(Backend backend) {
        RelayDatabase db = databases.open(backend, clock);
        String one = db.clusters().register("alice", "one").id();
        String two = db.clusters().register("alice", "two").id();
        Presence presence = db.presence();
        presence.register("relay-a", "10.0.0.1:8444", Duration.ofSeconds(10));
        presence.add(one, "relay-a");
        // The store lost the replica (swept during a long outage) while it held another cluster.
        clock.advance(Duration.ofMinutes(5));
        presence.sweep(Duration.ZERO);
        assertFalse(presence.renew("relay-a", Duration.ofSeconds(10), false, false));

        presence.replace("relay-a", "10.0.0.1:8444", Duration.ofSeconds(10), false, List.of(two, "deleted-meanwhile"));

        assertEquals(Map.of(two, List.of("relay-a")), presence.holdersByCluster());
        assertTrue(presence.renew("relay-a", Duration.ofSeconds(10), true, false));
        assertTrue(presence.instances().get(0).draining());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void deregisterRemovesAReplicaAndItsPresence(Backend backend) {
        RelayDatabase db = databases.open(backend, clock);
        String cluster = db.clusters().register("alice", "prod").id();
        Presence presence = db.presence();
        presence.register("relay-a", "10.0.0.1:8444", Duration.ofSeconds(10));
        presence.add(cluster, "relay-a");
        presence.remove(cluster, "relay-a");
        assertEquals(List.of(), presence.liveHolders(cluster));
        presence.add(cluster, "relay-a");

        presence.deregister("relay-a");

        assertEquals(List.of(), presence.instances());
        assertEquals(Map.of(), presence.holdersByCluster());
        assertFalse(presence.add("no-such-cluster", "relay-a"));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aRestartUnderTheSameIdTakesTheRowOverWithoutTheOldPresence(Backend backend) {
        RelayDatabase db = databases.open(backend, clock);
        String cluster = db.clusters().register("alice", "prod").id();
        Presence presence = db.presence();
        presence.register("relay-0", "10.0.0.1:8444", Duration.ofSeconds(10));
        presence.add(cluster, "relay-0");

        presence.register("relay-0", "10.0.0.9:8444", Duration.ofSeconds(10));

        assertThat(presence.instances()).extracting(RelayInstance::peerAddress).containsExactly("10.0.0.9:8444");
        assertEquals(Map.of(), presence.holdersByCluster());
    }

    @Test
    void everyChangeIsAnnouncedOnPostgresAfterItCommits() throws Exception {
        RelayDatabase db = databases.open(Backend.POSTGRESQL, clock);
        String cluster = db.clusters().register("alice", "prod").id();
        Presence presence = db.presence();
        try (Connection listener = db.dedicatedConnection()) {
            try (Statement statement = listener.createStatement()) {
                statement.execute("LISTEN " + Presence.CHANNEL);
            }
            presence.register("relay-a", "10.0.0.1:8444", Duration.ofSeconds(10));
            presence.add(cluster, "relay-a");
            presence.remove(cluster, "relay-a");
            presence.renew("relay-a", Duration.ofSeconds(10), false, false);
            presence.renew("relay-a", Duration.ofSeconds(10), true, true);
            presence.deregister("relay-a");

            List<String> payloads = new ArrayList<>();
            long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (payloads.size() < 5 && System.nanoTime() < until) {
                PGNotification[] batch = listener.unwrap(PGConnection.class).getNotifications(500);
                if (batch != null) {
                    for (PGNotification notification : batch) {
                        payloads.add(notification.getParameter());
                    }
                }
            }
            assertEquals(
                    List.of(
                            "i relay-a",
                            "+ " + cluster + " relay-a",
                            "- " + cluster + " relay-a",
                            "i relay-a",
                            "i relay-a"),
                    payloads,
                    "a quiet renewal announces nothing");
        }
    }
}
