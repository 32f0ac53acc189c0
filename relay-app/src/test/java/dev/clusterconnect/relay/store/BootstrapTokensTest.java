package dev.clusterconnect.relay.store;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clusterconnect.relay.store.BootstrapTokenRejectedException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BootstrapTokensTest {

    private static final Duration TTL = Duration.ofMinutes(15);

    @RegisterExtension
    final TestDatabases databases = new TestDatabases();

    private final MutableClock clock = MutableClock.startingNow();

    @ParameterizedTest
    @EnumSource(Backend.class)
    void tokenIsAcceptedOnceThenRefusedAsAlreadyUsed(Backend backend) {
        RelayDatabase db = databases.open(backend, clock);
        String clusterId = db.clusters().register("alice", "prod").id();
        IssuedBootstrapToken issued = db.bootstrapTokens().issue(clusterId, TTL);

        assertDoesNotThrow(() -> db.bootstrapTokens().consume(clusterId, issued.token()));

        assertRefused(Reason.ALREADY_USED, () -> db.bootstrapTokens().consume(clusterId, issued.token()));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void issuedTokenIsRandomUrlSafeAndExpiresAfterItsLifetime(Backend backend) {
        RelayDatabase db = databases.open(backend, clock);
        String clusterId = db.clusters().register("alice", "prod").id();

        IssuedBootstrapToken first = db.bootstrapTokens().issue(clusterId, TTL);
        IssuedBootstrapToken second = db.bootstrapTokens().issue(clusterId, TTL);

        assertTrue(first.token().matches("[A-Za-z0-9_-]{43}"), "token is 256 bits, base64url");
        assertFalse(first.token().equals(second.token()));
        assertEquals(clock.instant().plus(TTL).truncatedTo(ChronoUnit.MICROS), first.expiresAt());
        assertFalse(first.toString().contains(first.token()), "toString must not reveal the token");
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void onlyTheSha256OfTheTokenIsStored(Backend backend) throws Exception {
        TestDatabase target = databases.create(backend);
        RelayDatabase db = databases.reopen(target, clock);
        String clusterId = db.clusters().register("alice", "prod").id();
        String token = db.bootstrapTokens().issue(clusterId, TTL).token();

        List<String> storedValues = new ArrayList<>();
        try (Connection connection = target.connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT * FROM bootstrap_tokens")) {
            while (rows.next()) {
                for (int column = 1; column <= rows.getMetaData().getColumnCount(); column++) {
                    storedValues.add(String.valueOf(rows.getObject(column)));
                }
            }
        }

        assertTrue(storedValues.contains(sha256Hex(token)), storedValues.toString());
        assertTrue(storedValues.stream().noneMatch(value -> value.contains(token)));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void unknownTokenIsRefusedAsUnknown(Backend backend) {
        RelayDatabase db = databases.open(backend, clock);
        String clusterId = db.clusters().register("alice", "prod").id();
        db.bootstrapTokens().issue(clusterId, TTL);

        assertRefused(Reason.UNKNOWN, () -> db.bootstrapTokens().consume(clusterId, "made-up"));
        assertRefused(Reason.UNKNOWN, () -> db.bootstrapTokens().consume(clusterId, ""));
        assertRefused(Reason.UNKNOWN, () -> db.bootstrapTokens().consume(clusterId, null));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void tokenOfAnotherClusterIsRefusedAsUnknownAndStaysUsable(Backend backend) {
        RelayDatabase db = databases.open(backend, clock);
        String prod = db.clusters().register("alice", "prod").id();
        String staging = db.clusters().register("alice", "staging").id();
        IssuedBootstrapToken forProd = db.bootstrapTokens().issue(prod, TTL);

        assertRefused(Reason.UNKNOWN, () -> db.bootstrapTokens().consume(staging, forProd.token()));

        assertDoesNotThrow(() -> db.bootstrapTokens().consume(prod, forProd.token()));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void tokenIsAcceptedJustBeforeExpiryAndRefusedAsExpiredAtIt(Backend backend) {
        RelayDatabase db = databases.open(backend, clock);
        String clusterId = db.clusters().register("alice", "prod").id();
        IssuedBootstrapToken early = db.bootstrapTokens().issue(clusterId, TTL);
        IssuedBootstrapToken late = db.bootstrapTokens().issue(clusterId, TTL);

        clock.advance(TTL.minusSeconds(1));
        assertDoesNotThrow(() -> db.bootstrapTokens().consume(clusterId, early.token()));
        clock.advance(Duration.ofSeconds(1));

        assertRefused(Reason.EXPIRED, () -> db.bootstrapTokens().consume(clusterId, late.token()));
        // Used and expired: "already used" is the more useful answer for an operator.
        assertRefused(Reason.ALREADY_USED, () -> db.bootstrapTokens().consume(clusterId, early.token()));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void racingAgentsConsumeATokenExactlyOnce(Backend backend) throws Exception {
        RelayDatabase db = databases.open(backend, clock);
        String clusterId = db.clusters().register("alice", "prod").id();
        String token = db.bootstrapTokens().issue(clusterId, TTL).token();
        int agents = 8;
        CountDownLatch ready = new CountDownLatch(agents);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(agents);
        List<Future<Reason>> outcomes = new ArrayList<>();
        Callable<Reason> agent = () -> {
            ready.countDown();
            go.await();
            try {
                db.bootstrapTokens().consume(clusterId, token);
                return null;
            } catch (BootstrapTokenRejectedException e) {
                return e.reason();
            }
        };
        try {
            for (int i = 0; i < agents; i++) {
                outcomes.add(pool.submit(agent));
            }
            assertTrue(ready.await(10, TimeUnit.SECONDS));
            go.countDown();
            List<Reason> results = new ArrayList<>();
            for (Future<Reason> outcome : outcomes) {
                results.add(outcome.get(30, TimeUnit.SECONDS));
            }

            assertEquals(1, results.stream().filter(reason -> reason == null).count(), results::toString);
            assertEquals(
                    agents - 1,
                    results.stream().filter(Reason.ALREADY_USED::equals).count());
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void issuingForAnUnknownClusterFails(Backend backend) {
        BootstrapTokens tokens = databases.open(backend, clock).bootstrapTokens();

        assertThrows(UnknownClusterException.class, () -> tokens.issue("no-such-id", TTL));
        assertThrows(IllegalArgumentException.class, () -> tokens.issue("no-such-id", Duration.ZERO));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void deleteExpiredRemovesOnlyTokensPastTheirLifetime(Backend backend) {
        RelayDatabase db = databases.open(backend, clock);
        String clusterId = db.clusters().register("alice", "prod").id();
        IssuedBootstrapToken shortLived = db.bootstrapTokens().issue(clusterId, Duration.ofMinutes(1));
        IssuedBootstrapToken longLived = db.bootstrapTokens().issue(clusterId, Duration.ofHours(1));
        clock.advance(Duration.ofMinutes(2));

        assertEquals(1, db.bootstrapTokens().deleteExpired());

        assertRefused(Reason.UNKNOWN, () -> db.bootstrapTokens().consume(clusterId, shortLived.token()));
        assertDoesNotThrow(() -> db.bootstrapTokens().consume(clusterId, longLived.token()));
    }

    private static void assertRefused(Reason expected, Executable consume) {
        BootstrapTokenRejectedException refused = assertThrows(BootstrapTokenRejectedException.class, consume);
        assertEquals(expected, refused.reason());
        assertNotNull(refused.getMessage());
    }

    private static String sha256Hex(String token) throws Exception {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    }
}
