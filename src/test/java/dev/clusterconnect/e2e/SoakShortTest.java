package dev.clusterconnect.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Fifty seconds of {@code bin/soak}: the apps as separate JVMs under every kind of load, sampled every
 * 10 s. It checks that the sampling reads real figures from each app and that no request of any
 * kind failed, and that the tunnels hold no stream once the load stopped; the trends it does not
 * judge (a minute shows none), the real soak does.
 */
class SoakShortTest {

    @Test
    void everyKindOfRequestSucceedsAndEachAppIsSampled() throws Exception {
        Soak.Settings settings = new Soak.Settings(
                Duration.ofSeconds(50),
                Duration.ofSeconds(10),
                "128m",
                new SoakLoad.Rates(
                        20,
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(10),
                        4L * 1024 * 1024,
                        1,
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(10)));
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Soak.Result result = Soak.run(settings, new PrintStream(printed, true, StandardCharsets.UTF_8));
        System.out.println(printed.toString(StandardCharsets.UTF_8));

        assertThat(result.failures()).isEmpty();
        result.totals()
                .forEach((kind, counts) ->
                        assertThat(counts[0]).as("%s done", kind).isPositive());
        assertThat(result.samples()).hasSize(5);
        for (Soak.Sample sample : result.samples()) {
            assertThat(sample.apps()).containsOnlyKeys("relay", "agent", "proxy");
            for (Map<String, Double> values : sample.apps().values()) {
                // a JVM serving TLS holds megabytes, dozens of threads and descriptors
                assertThat(values.get("heap MiB")).isBetween(1.0, 128.0);
                assertThat(values.get("threads")).isGreaterThan(10.0);
                assertThat(values.get("fds")).isGreaterThan(10.0);
                assertThat(values.get("streams")).isGreaterThanOrEqualTo(0.0);
            }
        }
        assertThat(result.openAfterLoad()).containsEntry("relay", 0.0).containsEntry("agent", 0.0);
        assertThat(result.judgements().get("relay")).containsOnlyKeys(SoakSampler.SERIES);
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("| relay | heap MiB |")
                .contains("verdict:");
    }
}
