package dev.clusterconnect.relay.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class ClustersTest {

    @RegisterExtension
    final TestDatabases databases = new TestDatabases();

    private final MutableClock clock = MutableClock.startingNow();

    @ParameterizedTest
    @EnumSource(Backend.class)
    void registeredClusterIsFoundByIdAndByOwnerAndName(Backend backend) {
        Clusters clusters = databases.open(backend, clock).clusters();

        Cluster registered = clusters.register("alice", "prod-eu");

        assertEquals("prod-eu", registered.name());
        assertEquals("alice", registered.owner());
        assertEquals(clock.instant().truncatedTo(ChronoUnit.MICROS), registered.createdAt());
        assertEquals(registered, clusters.find(registered.id()).orElseThrow());
        assertEquals(registered, clusters.findByName("alice", "prod-eu").orElseThrow());
        assertTrue(clusters.findByName("bob", "prod-eu").isEmpty());
        assertTrue(clusters.find("no-such-id").isEmpty());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void clusterIdsAreRandomAndUrlSafe(Backend backend) {
        Clusters clusters = databases.open(backend, clock).clusters();

        String first = clusters.register("alice", "one").id();
        String second = clusters.register("alice", "two").id();

        assertTrue(first.matches("[A-Za-z0-9_-]{22}"), first);
        assertTrue(second.matches("[A-Za-z0-9_-]{22}"), second);
        assertNotEquals(first, second);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void nameIsUniquePerOwnerOnly(Backend backend) {
        Clusters clusters = databases.open(backend, clock).clusters();
        clusters.register("alice", "prod");

        assertThrows(AlreadyExistsException.class, () -> clusters.register("alice", "prod"));
        Cluster bobs = clusters.register("bob", "prod");

        assertEquals("bob", bobs.owner());
        assertEquals(1, clusters.listOwnedBy("alice").size());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "Prod",
                "-prod",
                "prod-",
                "prod_eu",
                "prod.eu",
                "a234567890123456789012345678901234567890123456789012345678901234"
            })
    void nameThatIsNotADnsLabelIsRefused(String name) {
        Clusters clusters = databases.open(Backend.H2, clock).clusters();

        assertThrows(IllegalArgumentException.class, () -> clusters.register("alice", name));
        assertTrue(clusters.listOwnedBy("alice").isEmpty());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void ownerSeesOwnClustersByName(Backend backend) {
        Clusters clusters = databases.open(backend, clock).clusters();
        clusters.register("alice", "zeta");
        clusters.register("alice", "alpha");
        clusters.register("bob", "beta");

        List<String> names =
                clusters.listOwnedBy("alice").stream().map(Cluster::name).toList();

        assertEquals(List.of("alpha", "zeta"), names);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void visibleClustersAreOwnedOrGrantedToUserOrGroup(Backend backend) {
        RelayDatabase db = databases.open(backend, clock);
        Cluster own = db.clusters().register("alice", "own");
        Cluster byUser = db.clusters().register("bob", "shared-with-alice");
        Cluster byGroup = db.clusters().register("carol", "shared-with-sre");
        db.clusters().register("dave", "private");
        db.grants().grant(byUser.id(), SubjectKind.USER, "alice", "bob");
        db.grants().grant(byGroup.id(), SubjectKind.GROUP, "sre", "carol");

        Set<String> withGroup = ids(db.clusters().listVisibleTo("alice", List.of("dev", "sre")));
        Set<String> withoutGroup = ids(db.clusters().listVisibleTo("alice", List.of()));

        assertEquals(Set.of(own.id(), byUser.id(), byGroup.id()), withGroup);
        assertEquals(Set.of(own.id(), byUser.id()), withoutGroup);
        assertTrue(db.clusters().listVisibleTo("", List.of("sre")).isEmpty());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void newClusterIsDisconnectedAndNeverSeen(Backend backend) {
        Clusters clusters = databases.open(backend, clock).clusters();
        Cluster cluster = clusters.register("alice", "prod");

        ClusterStatus status = clusters.status(cluster.id()).orElseThrow();

        assertFalse(status.connected());
        assertNull(status.connectedSince());
        assertNull(status.lastSeen());
        assertNull(status.agentVersion());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void statusFollowsConnectHeartbeatAndDisconnect(Backend backend) {
        Clusters clusters = databases.open(backend, clock).clusters();
        String id = clusters.register("alice", "prod").id();

        assertTrue(clusters.markConnected(id, "0.1.0", "v1.31.2"));
        ClusterStatus connected = clusters.status(id).orElseThrow();
        clock.advance(Duration.ofSeconds(30));
        assertTrue(clusters.markSeen(id));
        ClusterStatus seen = clusters.status(id).orElseThrow();
        clock.advance(Duration.ofSeconds(5));
        assertTrue(clusters.markDisconnected(id));
        ClusterStatus disconnected = clusters.status(id).orElseThrow();

        assertTrue(connected.connected());
        assertEquals("0.1.0", connected.agentVersion());
        assertEquals("v1.31.2", connected.kubernetesVersion());
        assertEquals(connected.connectedSince(), connected.lastSeen());
        assertEquals(connected.connectedSince(), seen.connectedSince());
        assertEquals(connected.lastSeen().plusSeconds(30), seen.lastSeen());
        assertFalse(disconnected.connected());
        assertNull(disconnected.connectedSince());
        assertEquals(seen.lastSeen().plusSeconds(5), disconnected.lastSeen());
        assertEquals("v1.31.2", disconnected.kubernetesVersion());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void statusUpdatesForAnUnknownClusterReportFalse(Backend backend) {
        Clusters clusters = databases.open(backend, clock).clusters();

        assertFalse(clusters.markConnected("no-such-id", "0.1.0", "v1.31.2"));
        assertFalse(clusters.markSeen("no-such-id"));
        assertFalse(clusters.markDisconnected("no-such-id"));
        assertTrue(clusters.status("no-such-id").isEmpty());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void markOrphansDisconnectedKeepsClustersALiveReplicaHolds(Backend backend) {
        RelayDatabase db = databases.open(backend, clock);
        Clusters clusters = db.clusters();
        String held = clusters.register("alice", "up").id();
        String orphan = clusters.register("bob", "up").id();
        String down = clusters.register("carol", "down").id();
        clusters.markConnected(held, "0.1.0", "v1.30.0");
        clusters.markConnected(orphan, "0.1.0", "v1.30.0");
        db.presence().register("relay-a", "10.0.0.1:8444", Duration.ofSeconds(10));
        db.presence().add(held, "relay-a");

        assertEquals(1, clusters.markOrphansDisconnected());

        assertTrue(clusters.status(held).orElseThrow().connected());
        for (String id : List.of(orphan, down)) {
            assertFalse(clusters.status(id).orElseThrow().connected(), id);
        }
        // Once the replica's lease has run out, nothing holds the cluster.
        clock.advance(Duration.ofSeconds(11));
        assertEquals(1, clusters.markOrphansDisconnected());
        assertFalse(clusters.status(held).orElseThrow().connected());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void deletingAClusterRemovesEverythingAttachedToIt(Backend backend) throws Exception {
        RelayDatabase db = databases.open(backend, clock);
        Cluster cluster = db.clusters().register("alice", "prod");
        IssuedBootstrapToken token = db.bootstrapTokens().issue(cluster.id(), Duration.ofHours(1));
        db.agentKeys().add(cluster.id(), "k1", Jwks.publicEc("k1"));
        db.grants().grant(cluster.id(), SubjectKind.GROUP, "sre", "alice");

        assertTrue(db.clusters().delete(cluster.id()));

        assertTrue(db.clusters().find(cluster.id()).isEmpty());
        assertTrue(db.clusters().status(cluster.id()).isEmpty());
        assertTrue(db.agentKeys().list(cluster.id()).isEmpty());
        assertTrue(db.grants().list(cluster.id()).isEmpty());
        BootstrapTokenRejectedException refused = assertThrows(
                BootstrapTokenRejectedException.class,
                () -> db.bootstrapTokens().consume(cluster.id(), token.token()));
        assertEquals(BootstrapTokenRejectedException.Reason.UNKNOWN, refused.reason());
        assertFalse(db.clusters().delete(cluster.id()));
    }

    private static Set<String> ids(List<Cluster> clusters) {
        return Set.copyOf(clusters.stream().map(Cluster::id).toList());
    }
}
