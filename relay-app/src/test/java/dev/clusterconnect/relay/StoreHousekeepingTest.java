package dev.clusterconnect.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.clusterconnect.relay.store.BootstrapTokenRejectedException;
import dev.clusterconnect.relay.store.IssuedBootstrapToken;
import dev.clusterconnect.relay.store.RelayDatabase;
import dev.clusterconnect.relay.store.StoreException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The relay's scheduled purge of its store (embedded H2). */
class StoreHousekeepingTest {

    @TempDir
    Path dir;

    @Test
    void thePurgeDeletesExpiredBootstrapTokensAndKeepsLiveOnes() throws Exception {
        String url = RelayDatabase.embeddedUrl(dir);
        Clock twoHoursAgo = Clock.offset(Clock.systemUTC(), Duration.ofHours(-2));
        String clusterId;
        IssuedBootstrapToken expired;
        IssuedBootstrapToken live;
        try (RelayDatabase then = RelayDatabase.open(url, RelayDatabase.EMBEDDED_USER, "", twoHoursAgo)) {
            clusterId = then.clusters().register("alice", "prod").id();
            expired = then.bootstrapTokens().issue(clusterId, Duration.ofHours(1));
            live = then.bootstrapTokens().issue(clusterId, Duration.ofHours(3));
        }
        try (RelayDatabase now = RelayDatabase.openEmbedded(dir)) {

            StoreHousekeeping.purgeOf(now).run();

            BootstrapTokenRejectedException purged = catchThrowableOfType(
                    BootstrapTokenRejectedException.class,
                    () -> now.bootstrapTokens().consume(clusterId, expired.token()));
            assertThat(purged.reason()).isEqualTo(BootstrapTokenRejectedException.Reason.UNKNOWN);
            now.bootstrapTokens().consume(clusterId, live.token());
        }
    }

    @Test
    void aFailedPurgeOnlySkipsItsTurnAndRunsOnADaemonThread() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        AtomicBoolean daemon = new AtomicBoolean();
        CountDownLatch secondRun = new CountDownLatch(1);
        Runnable purge = () -> {
            daemon.set(Thread.currentThread().isDaemon());
            if (runs.incrementAndGet() == 1) {
                throw new StoreException("the database is away");
            }
            secondRun.countDown();
        };

        try (StoreHousekeeping housekeeping = new StoreHousekeeping(purge, Duration.ofMillis(1))) {
            assertThat(secondRun.await(30, TimeUnit.SECONDS))
                    .as("the purge ran again after failing")
                    .isTrue();
        }
        assertThat(daemon).isTrue();
    }
}
