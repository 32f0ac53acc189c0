package dev.clusterconnect.relay.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class GrantsTest {

    @RegisterExtension
    final TestDatabases databases = new TestDatabases();

    private final MutableClock clock = MutableClock.startingNow();

    @ParameterizedTest
    @EnumSource(Backend.class)
    void ownerIsAllowedWithoutAnyGrant(Backend backend) {
        RelayDatabase db = databases.open(backend, clock);
        String clusterId = db.clusters().register("alice", "prod").id();

        assertTrue(db.grants().isAllowed(clusterId, "alice", List.of()));
        assertFalse(db.grants().isAllowed(clusterId, "bob", List.of()));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void userGrantAllowsThatUserOnly(Backend backend) {
        RelayDatabase db = databases.open(backend, clock);
        String clusterId = db.clusters().register("alice", "prod").id();

        db.grants().grant(clusterId, SubjectKind.USER, "bob", "alice");

        assertTrue(db.grants().isAllowed(clusterId, "bob", List.of()));
        assertFalse(db.grants().isAllowed(clusterId, "Bob", List.of()), "names are case-sensitive");
        assertFalse(db.grants().isAllowed(clusterId, "carol", List.of("bob")), "a user grant is not a group grant");
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void groupGrantAllowsAnyMember(Backend backend) {
        RelayDatabase db = databases.open(backend, clock);
        String clusterId = db.clusters().register("alice", "prod").id();

        db.grants().grant(clusterId, SubjectKind.GROUP, "sre", "alice");

        assertTrue(db.grants().isAllowed(clusterId, "carol", List.of("dev", "sre")));
        assertTrue(db.grants().isAllowed(clusterId, "dave", List.of("sre", "sre")));
        assertFalse(db.grants().isAllowed(clusterId, "erin", List.of("dev")));
        assertFalse(db.grants().isAllowed(clusterId, "sre", List.of()), "a group grant is not a user grant");
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void grantsOnOneClusterDoNotOpenAnother(Backend backend) {
        RelayDatabase db = databases.open(backend, clock);
        String prod = db.clusters().register("alice", "prod").id();
        String staging = db.clusters().register("alice", "staging").id();

        db.grants().grant(staging, SubjectKind.USER, "bob", "alice");
        db.grants().grant(staging, SubjectKind.GROUP, "sre", "alice");

        assertFalse(db.grants().isAllowed(prod, "bob", List.of("sre")));
        assertFalse(db.grants().isAllowed("no-such-id", "alice", List.of()));
        assertFalse(db.grants().isAllowed(prod, "", List.of("sre")));
        assertFalse(db.grants().isAllowed(prod, null, null));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void revokedGrantNoLongerAllows(Backend backend) {
        RelayDatabase db = databases.open(backend, clock);
        String clusterId = db.clusters().register("alice", "prod").id();
        db.grants().grant(clusterId, SubjectKind.GROUP, "sre", "alice");

        assertTrue(db.grants().revoke(clusterId, SubjectKind.GROUP, "sre"));

        assertFalse(db.grants().isAllowed(clusterId, "carol", List.of("sre")));
        assertFalse(db.grants().revoke(clusterId, SubjectKind.GROUP, "sre"));
        assertTrue(db.grants().list(clusterId).isEmpty());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void grantingTwiceKeepsTheFirstGrant(Backend backend) {
        RelayDatabase db = databases.open(backend, clock);
        String clusterId = db.clusters().register("alice", "prod").id();
        Grant first = db.grants().grant(clusterId, SubjectKind.USER, "bob", "alice");
        clock.advance(Duration.ofHours(1));

        Grant again = db.grants().grant(clusterId, SubjectKind.USER, "bob", "mallory");

        assertEquals(first, again);
        assertEquals(List.of(first), db.grants().list(clusterId));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void listShowsUsersThenGroupsByName(Backend backend) {
        RelayDatabase db = databases.open(backend, clock);
        String clusterId = db.clusters().register("alice", "prod").id();
        db.grants().grant(clusterId, SubjectKind.GROUP, "sre", "alice");
        db.grants().grant(clusterId, SubjectKind.USER, "zoe", "alice");
        db.grants().grant(clusterId, SubjectKind.GROUP, "dev", "alice");
        db.grants().grant(clusterId, SubjectKind.USER, "bob", "alice");

        List<String> listed = db.grants().list(clusterId).stream()
                .map(grant -> grant.kind() + ":" + grant.subject())
                .toList();

        assertEquals(List.of("USER:bob", "USER:zoe", "GROUP:dev", "GROUP:sre"), listed);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void grantingOnAnUnknownClusterFails(Backend backend) {
        Grants grants = databases.open(backend, clock).grants();

        assertThrows(UnknownClusterException.class, () -> grants.grant("no-such-id", SubjectKind.USER, "bob", "alice"));
        assertThrows(IllegalArgumentException.class, () -> grants.grant("no-such-id", SubjectKind.USER, " ", "alice"));
    }
}
