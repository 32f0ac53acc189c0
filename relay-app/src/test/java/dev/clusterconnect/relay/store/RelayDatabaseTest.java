package dev.clusterconnect.relay.store;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clusterconnect.relay.store.BootstrapTokenRejectedException.Reason;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RelayDatabaseTest {

    @RegisterExtension
    final TestDatabases databases = new TestDatabases();

    private final MutableClock clock = MutableClock.startingNow();

    @ParameterizedTest
    @EnumSource(Backend.class)
    void everythingSurvivesCloseAndReopen(Backend backend) throws Exception {
        TestDatabase target = databases.create(backend);
        RelayDatabase first = target.open(clock);
        Cluster cluster = first.clusters().register("alice", "prod");
        first.clusters().markConnected(cluster.id(), "0.1.0", "v1.31.2");
        IssuedBootstrapToken used = first.bootstrapTokens().issue(cluster.id(), Duration.ofHours(1));
        IssuedBootstrapToken unused = first.bootstrapTokens().issue(cluster.id(), Duration.ofHours(1));
        first.bootstrapTokens().consume(cluster.id(), used.token());
        AgentKey key = first.agentKeys().add(cluster.id(), "k1", Jwks.publicEc("k1"));
        Grant grant = first.grants().grant(cluster.id(), SubjectKind.GROUP, "sre", "alice");
        ClusterStatus status = first.clusters().status(cluster.id()).orElseThrow();
        first.close();

        RelayDatabase second = databases.reopen(target, clock);

        assertEquals(cluster, second.clusters().find(cluster.id()).orElseThrow());
        assertEquals(status, second.clusters().status(cluster.id()).orElseThrow());
        assertEquals(List.of(key), second.agentKeys().list(cluster.id()));
        assertEquals(List.of(grant), second.grants().list(cluster.id()));
        BootstrapTokenRejectedException refused = assertThrows(
                BootstrapTokenRejectedException.class,
                () -> second.bootstrapTokens().consume(cluster.id(), used.token()));
        assertEquals(Reason.ALREADY_USED, refused.reason());
        assertDoesNotThrow(() -> second.bootstrapTokens().consume(cluster.id(), unused.token()));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void healthyWhileOpenAndUnhealthyOnceClosed(Backend backend) {
        RelayDatabase db = databases.open(backend, clock);

        assertTrue(db.isHealthy());
        db.close();

        assertFalse(db.isHealthy());
    }

    @Test
    void unhealthyWhenThePostgresDatabaseDisappears() {
        TestDatabase target = databases.create(Backend.POSTGRESQL);
        RelayDatabase db = databases.reopen(target, clock);
        assertTrue(db.isHealthy());

        String name = target.url().substring(target.url().lastIndexOf('/') + 1);
        TestDatabases.administer("DROP DATABASE " + name + " WITH (FORCE)");

        assertFalse(db.isHealthy());
    }

    @Test
    void openingAnUnreachableServerFailsWithAStoreException() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String url = "jdbc:postgresql://127.0.0.1:" + closedPort + "/relay?connectTimeout=2";

        StoreException failure =
                assertThrows(StoreException.class, () -> RelayDatabase.open(url, "relay", "s3cret-password", clock));

        assertFalse(failure.getMessage().contains("s3cret-password"));
    }

    @Test
    void otherDatabasesAreRefusedWithoutEchoingTheUrl() {
        IllegalArgumentException refused = assertThrows(
                IllegalArgumentException.class,
                () -> RelayDatabase.open("jdbc:mysql://db/relay?password=hunter2", "relay", null));

        assertFalse(refused.getMessage().contains("hunter2"));
    }

    @Test
    void embeddedDatabaseIsAFileInTheGivenDirectory(@TempDir Path directory) {
        try (RelayDatabase db = RelayDatabase.openEmbedded(directory)) {
            db.clusters().register("alice", "prod");
            assertTrue(db.isHealthy());
        }

        assertTrue(Files.exists(directory.resolve("relay.mv.db")));
        try (RelayDatabase reopened = RelayDatabase.openEmbedded(directory)) {
            assertEquals(1, reopened.clusters().listOwnedBy("alice").size());
        }
    }

    @Test
    void embeddedUrlRefusesAPathThatWouldInjectSettings() {
        assertThrows(
                IllegalArgumentException.class,
                () -> RelayDatabase.embeddedUrl(Path.of("/tmp/x;INIT=RUNSCRIPT FROM 'evil.sql'")));
    }
}
