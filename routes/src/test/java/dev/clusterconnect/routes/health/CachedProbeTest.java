package dev.clusterconnect.routes.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CachedProbeTest {

    private final AtomicLong now = new AtomicLong(1);
    private final List<CompletableFuture<Boolean>> checks = new ArrayList<>();
    private final CachedProbe probe = new CachedProbe(
            () -> {
                CompletableFuture<Boolean> check = new CompletableFuture<>();
                checks.add(check);
                return check;
            },
            Duration.ofSeconds(5),
            now::get);

    @Test
    void theFirstAskStartsACheckAndSaysNoUntilItAnswers() {
        assertThat(probe.answers()).isFalse();
        assertThat(probe.answers()).isFalse();
        assertThat(checks).as("one check at a time, however often asked").hasSize(1);

        checks.get(0).complete(true);

        assertThat(probe.answers()).isTrue();
        assertThat(checks).hasSize(1);
    }

    @Test
    void aStaleAnswerIsReturnedWhileTheNextCheckRuns() {
        probe.answers();
        checks.get(0).complete(true);
        now.addAndGet(Duration.ofSeconds(6).toNanos());

        assertThat(probe.answers()).as("the last answer, not a wait").isTrue();
        assertThat(checks).hasSize(2);
        checks.get(1).complete(false);

        assertThat(probe.answers()).isFalse();
    }

    @Test
    void aFailedOrThrowingCheckCountsAsNo() {
        probe.answers();
        checks.get(0).completeExceptionally(new java.io.IOException("refused"));
        assertThat(probe.answers()).isFalse();

        CachedProbe throwing = new CachedProbe(
                () -> {
                    throw new IllegalStateException("no client");
                },
                Duration.ofSeconds(5),
                now::get);
        assertThat(throwing.answers()).isFalse();
        assertThat(throwing.answers()).as("and it may be asked again").isFalse();
    }
}
