package dev.clusterconnect.routes.component.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void delaysDoubleUpToTheCapWithJitterAndStartOverAfterReset() {
        Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));
        long ceiling = 500;
        for (int attempt = 0; attempt < 12; attempt++) {
            long delay = backoff.next().toMillis();
            assertThat(delay).isBetween(ceiling / 2, ceiling);
            ceiling = Math.min(30_000, ceiling * 2);
        }
        backoff.reset();
        assertThat(backoff.next().toMillis()).isBetween(250L, 500L);
    }

    @Test
    void agentsThatFailTogetherDoNotRetryTogether() {
        Set<Long> delays = new HashSet<>();
        for (int agent = 0; agent < 50; agent++) {
            Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));
            for (int i = 0; i < 6; i++) {
                backoff.next();
            }
            delays.add(backoff.next().toMillis());
        }
        assertThat(delays).hasSizeGreaterThan(40);
    }
}
