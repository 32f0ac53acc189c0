package dev.clusterconnect.relay.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class AgentKeysTest {

    @RegisterExtension
    final TestDatabases databases = new TestDatabases();

    private final MutableClock clock = MutableClock.startingNow();

    @ParameterizedTest
    @EnumSource(Backend.class)
    void addedKeyIsListedAndFoundByKid(Backend backend) throws Exception {
        RelayDatabase db = databases.open(backend, clock);
        String clusterId = db.clusters().register("alice", "prod").id();
        String jwk = Jwks.publicEc("agent-1");

        AgentKey added = db.agentKeys().add(clusterId, "agent-1", jwk);

        ObjectMapper json = new ObjectMapper();
        assertEquals(json.readTree(jwk), json.readTree(added.jwk()), "same JWK, whitespace aside");
        assertFalse(added.jwk().contains(" "));
        assertTrue(added.isActive());
        assertEquals(List.of(added), db.agentKeys().list(clusterId));
        assertEquals(added, db.agentKeys().find(clusterId, "agent-1").orElseThrow());
        assertEquals(added, db.agentKeys().findActive(clusterId, "agent-1").orElseThrow());
        assertTrue(db.agentKeys().find(clusterId, "agent-2").isEmpty());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void kidIsScopedToItsCluster(Backend backend) {
        RelayDatabase db = databases.open(backend, clock);
        String prod = db.clusters().register("alice", "prod").id();
        String staging = db.clusters().register("alice", "staging").id();
        db.agentKeys().add(prod, "k1", Jwks.publicEc("k1"));

        assertThrows(AlreadyExistsException.class, () -> db.agentKeys().add(prod, "k1", Jwks.publicEc("k1")));
        db.agentKeys().add(staging, "k1", Jwks.publicEc("k1"));

        assertTrue(db.agentKeys().find(staging, "k1").isPresent());
        assertEquals(1, db.agentKeys().list(prod).size());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void revokedKeyStaysListedButIsNoLongerActive(Backend backend) {
        RelayDatabase db = databases.open(backend, clock);
        String clusterId = db.clusters().register("alice", "prod").id();
        db.agentKeys().add(clusterId, "k1", Jwks.publicEc("k1"));
        clock.advance(Duration.ofMinutes(1));

        assertTrue(db.agentKeys().revoke(clusterId, "k1"));

        AgentKey revoked = db.agentKeys().find(clusterId, "k1").orElseThrow();
        assertFalse(revoked.isActive());
        assertEquals(revoked.createdAt().plus(Duration.ofMinutes(1)), revoked.revokedAt());
        assertTrue(db.agentKeys().findActive(clusterId, "k1").isEmpty());
        assertTrue(db.agentKeys().listActive(clusterId).isEmpty());
        assertEquals(1, db.agentKeys().list(clusterId).size());
        assertFalse(db.agentKeys().revoke(clusterId, "k1"), "second revoke changes nothing");
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void rotationAddsTheNewKeyAndRevokesTheOld(Backend backend) {
        RelayDatabase db = databases.open(backend, clock);
        String clusterId = db.clusters().register("alice", "prod").id();
        db.agentKeys().add(clusterId, "k1", Jwks.publicEc("k1"));
        clock.advance(Duration.ofDays(30));

        AgentKey fresh = db.agentKeys().rotate(clusterId, "k1", "k2", Jwks.publicEc("k2"));

        assertEquals(List.of(fresh), db.agentKeys().listActive(clusterId));
        assertEquals(
                fresh.createdAt(),
                db.agentKeys().find(clusterId, "k1").orElseThrow().revokedAt());
        assertEquals(
                List.of("k1", "k2"),
                db.agentKeys().list(clusterId).stream().map(AgentKey::kid).toList());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void failedRotationChangesNothing(Backend backend) {
        RelayDatabase db = databases.open(backend, clock);
        String clusterId = db.clusters().register("alice", "prod").id();
        AgentKey k1 = db.agentKeys().add(clusterId, "k1", Jwks.publicEc("k1"));
        db.agentKeys().add(clusterId, "k2", Jwks.publicEc("k2"));

        assertThrows(
                IllegalStateException.class,
                () -> db.agentKeys().rotate(clusterId, "unknown", "k3", Jwks.publicEc("k3")));
        // The new kid is taken: the old key's revocation must be rolled back with the insert.
        assertThrows(
                AlreadyExistsException.class, () -> db.agentKeys().rotate(clusterId, "k1", "k2", Jwks.publicEc("k2")));

        assertEquals(k1, db.agentKeys().findActive(clusterId, "k1").orElseThrow());
        assertTrue(db.agentKeys().find(clusterId, "k3").isEmpty());
        assertEquals(2, db.agentKeys().listActive(clusterId).size());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void addingToAnUnknownClusterFails(Backend backend) {
        AgentKeys keys = databases.open(backend, clock).agentKeys();

        assertThrows(UnknownClusterException.class, () -> keys.add("no-such-id", "k1", Jwks.publicEc("k1")));
    }

    @Test
    void privateKeyMaterialIsRefusedWithoutEchoingIt() {
        AgentKeys keys = databases.open(Backend.H2, clock).agentKeys();
        String clusterId = "unused-the-jwk-is-checked-first";
        String privateJwk = Jwks.privateEc("k1");

        IllegalArgumentException refused =
                assertThrows(IllegalArgumentException.class, () -> keys.add(clusterId, "k1", privateJwk));

        assertTrue(refused.getMessage().contains("\"d\""), refused.getMessage());
        assertFalse(refused.getMessage().contains(privateJwk.substring(privateJwk.indexOf("\"d\":"))));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "not json",
                "[1, 2]",
                "{\"crv\":\"P-256\"}",
                "{\"kty\":\"oct\",\"k\":\"c2VjcmV0\"}",
                "{\"kty\":\"EC\",\"kid\":\"other\"}"
            })
    void malformedSymmetricOrMismatchedJwkIsRefused(String jwk) {
        AgentKeys keys = databases.open(Backend.H2, clock).agentKeys();

        assertThrows(IllegalArgumentException.class, () -> keys.add("any", "k1", jwk));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "has space", "slash/y", "quote\""})
    void malformedKidIsRefused(String kid) {
        AgentKeys keys = databases.open(Backend.H2, clock).agentKeys();

        assertThrows(IllegalArgumentException.class, () -> keys.add("any", kid, Jwks.publicEc("x")));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void jwkWithoutKidIsAccepted(Backend backend) {
        RelayDatabase db = databases.open(backend, clock);
        String clusterId = db.clusters().register("alice", "prod").id();
        String withoutKid = Jwks.publicEc("k1").replace("\"kid\": \"k1\", ", "");

        AgentKey key = db.agentKeys().add(clusterId, "k1", withoutKid);

        assertFalse(key.jwk().contains("kid"));
        assertNull(key.revokedAt());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void enrolmentConsumesTheTokenAndAddsTheKeyTogether(Backend backend) throws Exception {
        RelayDatabase db = databases.open(backend, clock);
        String clusterId = db.clusters().register("alice", "prod").id();
        String token =
                db.bootstrapTokens().issue(clusterId, Duration.ofMinutes(15)).token();

        AgentKey key = db.agentKeys().enrol(clusterId, token, "k1", Jwks.publicEc("k1"));

        assertEquals(List.of(key), db.agentKeys().list(clusterId));
        BootstrapTokenRejectedException again = assertThrows(
                BootstrapTokenRejectedException.class,
                () -> db.agentKeys().enrol(clusterId, token, "k2", Jwks.publicEc("k2")));
        assertEquals(BootstrapTokenRejectedException.Reason.ALREADY_USED, again.reason());
        assertEquals(List.of(key), db.agentKeys().list(clusterId), "a refused token adds nothing");
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aKeyRefusedAsTakenLeavesTheBootstrapTokenUsable(Backend backend) throws Exception {
        RelayDatabase db = databases.open(backend, clock);
        String clusterId = db.clusters().register("alice", "prod").id();
        db.agentKeys().add(clusterId, "k1", Jwks.publicEc("k1"));
        String token =
                db.bootstrapTokens().issue(clusterId, Duration.ofMinutes(15)).token();

        assertThrows(
                AlreadyExistsException.class, () -> db.agentKeys().enrol(clusterId, token, "k1", Jwks.publicEc("k1")));
        AgentKey second = db.agentKeys().enrol(clusterId, token, "k2", Jwks.publicEc("k2"));

        assertEquals("k2", second.kid());
        assertEquals(2, db.agentKeys().listActive(clusterId).size());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aMalformedKeyAtEnrolmentLeavesTheBootstrapTokenUsable(Backend backend) throws Exception {
        RelayDatabase db = databases.open(backend, clock);
        String clusterId = db.clusters().register("alice", "prod").id();
        String token =
                db.bootstrapTokens().issue(clusterId, Duration.ofMinutes(15)).token();

        assertThrows(
                IllegalArgumentException.class,
                () -> db.agentKeys().enrol(clusterId, token, "k1", Jwks.privateEc("k1")));

        assertEquals(
                "k1",
                db.agentKeys()
                        .enrol(clusterId, token, "k1", Jwks.publicEc("k1"))
                        .kid());
    }
}
