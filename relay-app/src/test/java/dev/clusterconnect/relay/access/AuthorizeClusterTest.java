package dev.clusterconnect.relay.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.clusterconnect.relay.store.MutableClock;
import dev.clusterconnect.relay.store.RelayDatabase;
import dev.clusterconnect.relay.store.StoreException;
import dev.clusterconnect.relay.store.SubjectKind;
import dev.clusterconnect.routes.ClusterConnectHeaders;
import dev.clusterconnect.routes.status.KubeStatusException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The access decision against a real (H2) store: asked on a decision thread, remembered for at
 * most {@link AccessDecisions#FRESH_MILLIS} ms (the clock is moved by hand), and what happens
 * while the store is down.
 */
class AuthorizeClusterTest {

    @TempDir
    Path dir;

    RelayDatabase database;
    MutableClock clock = MutableClock.startingNow();
    DecisionThreads threads = new DecisionThreads();
    CamelContext camel = new DefaultCamelContext();
    /** The store as the decision sees it: can be taken down, and records who asked it. */
    final List<String> askedOn = new CopyOnWriteArrayList<>();

    volatile boolean storeDown;
    AuthorizeCluster authorize;
    String clusterId;

    @BeforeEach
    void start() {
        database = RelayDatabase.open(RelayDatabase.embeddedUrl(dir), RelayDatabase.EMBEDDED_USER, "");
        clusterId = database.clusters().register("alice", "prod").id();
        AccessRules store = AccessRules.of(database);
        authorize = new AuthorizeCluster(
                new AccessRules() {
                    @Override
                    public boolean clusterExists(String id) {
                        askedOn.add(Thread.currentThread().getName());
                        if (storeDown) {
                            throw new StoreException("connection refused");
                        }
                        return store.clusterExists(id);
                    }

                    @Override
                    public boolean isAllowed(String id, String user, Collection<String> groups) {
                        return store.isAllowed(id, user, groups);
                    }
                },
                threads,
                clock);
    }

    @AfterEach
    void stop() {
        threads.close();
        database.close();
    }

    @Test
    void theStoreIsAskedOnADecisionThreadAndTheAnswerIsRememberedForTheNextRequest() throws Exception {
        assertThat(status(start("alice", clusterId))).isZero();
        assertThat(askedOn).hasSize(1);
        assertThat(askedOn.get(0))
                .startsWith(DecisionThreads.NAME)
                .isNotEqualTo(Thread.currentThread().getName());

        Decided again = start("alice", clusterId);
        assertThat(again.sync())
                .as("answered from memory, on the caller's thread")
                .isTrue();
        assertThat(askedOn).hasSize(1);
    }

    @Test
    void aRevokedGrantIsRefusedOnceTheBoundHasPassed() throws Exception {
        database.grants().grant(clusterId, SubjectKind.USER, "bob", "alice");
        assertThat(status(start("bob", clusterId))).isZero();
        database.grants().revoke(clusterId, SubjectKind.USER, "bob");

        clock.advance(Duration.ofMillis(AccessDecisions.FRESH_MILLIS));
        assertThat(status(start("bob", clusterId))).isEqualTo(403);
    }

    @Test
    void aDeletedClusterIsNotFoundOnceTheBoundHasPassed() throws Exception {
        assertThat(status(start("alice", clusterId))).isZero();
        database.clusters().delete(clusterId);

        clock.advance(Duration.ofMillis(AccessDecisions.FRESH_MILLIS));
        assertThat(status(start("alice", clusterId))).isEqualTo(404);
    }

    @Test
    void aNewGrantAdmitsOnceTheBoundHasPassed() throws Exception {
        assertThat(status(start("carol", clusterId, "sre"))).isEqualTo(403);
        database.grants().grant(clusterId, SubjectKind.GROUP, "sre", "alice");

        clock.advance(Duration.ofMillis(AccessDecisions.FRESH_MILLIS));
        assertThat(status(start("carol", clusterId, "sre"))).isZero();
    }

    @Test
    void whileTheStoreIsDownACallerAllowedLatelyStillPasses() throws Exception {
        assertThat(status(start("alice", clusterId))).isZero();
        storeDown = true;

        clock.advance(Duration.ofMinutes(4));
        assertThat(status(start("alice", clusterId))).isZero();
    }

    @Test
    void aCallerWithoutARememberedDecisionWaitsForTheStoreAndPassesWhenItComesBack() throws Exception {
        storeDown = true;
        CompletableFuture<Exchange> pending = start("alice", clusterId).done();
        await().atMost(Duration.ofSeconds(5)).until(() -> askedOn.size() == 1);
        assertThat(pending).isNotDone();

        storeDown = false;
        assertThat(status(new Decided(false, pending))).isZero();
        assertThat(askedOn).hasSize(2);
    }

    @Test
    void aCallerWithoutARememberedDecisionGets503WhenTheStoreStaysDown() throws Exception {
        storeDown = true;
        assertThat(status(start("dave", clusterId))).isEqualTo(503);
    }

    private record Decided(boolean sync, CompletableFuture<Exchange> done) {}

    private Decided start(String user, String cluster, String... groups) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setHeader(ClusterConnectHeaders.CLUSTER_ID, cluster);
        exchange.setProperty(Caller.PROPERTY, new Caller(user, List.of(groups)));
        CompletableFuture<Exchange> done = new CompletableFuture<>();
        boolean sync = authorize.process(exchange, doneSync -> done.complete(exchange));
        return new Decided(sync, done);
    }

    /** @return 0 when allowed, else the refusal's HTTP status */
    private static int status(Decided decided) throws Exception {
        Exchange exchange = decided.done().get(10, java.util.concurrent.TimeUnit.SECONDS);
        Exception failure = exchange.getException();
        return failure == null ? 0 : ((KubeStatusException) failure).code();
    }
}
