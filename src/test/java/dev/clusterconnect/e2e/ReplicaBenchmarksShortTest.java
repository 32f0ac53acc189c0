package dev.clusterconnect.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The replica parts of {@code bin/bench} at a small scale, so that {@code mvn verify} catches a
 * benchmark that no longer runs, or a run whose outcome is wrong (agents lost, a drain that cuts
 * tunnels). No figure is asserted: a figure is for {@code bin/bench}.
 */
class ReplicaBenchmarksShortTest {

    @Test
    void aDrainOfSixtyAgentsMovesEveryOneBeforeItsOldTunnelCloses() throws Exception {
        BenchTable table = new BenchTable();
        // 8 at a time: several turns of the drain's window for 60 agents
        System.setProperty("replica-drain.moving-at-once", "8");
        try {
            ReplicaDrainBenchmark.run(
                    table,
                    new ReplicaDrainBenchmark.Drain(60, "192m", Duration.ofSeconds(1), Duration.ofSeconds(30), 8));
        } finally {
            System.clearProperty("replica-drain.moving-at-once");
        }
        table.print(System.out);
        Map<String, String> figures = figures(table);
        assertThat(figures.get("agents moved / received GOAWAY / tunnels open at the end"))
                .isEqualTo("60 / 60 / 60");
        assertThat(figures.get("old tunnel closed before the new one was up (agents)"))
                .isEqualTo("0");
        assertThat(figures.get("clusters marked connected in cluster_status after the move"))
                .isEqualTo("60");
        assertThat(figures.get("SIGTERM -> A exited, s (exit code)")).endsWith("(143)");
    }

    @Test
    void aFleetOverThreeReplicasConnectsAndLosesNoTunnelWhileIdle() throws Exception {
        BenchTable table = new BenchTable();
        ReplicaFleetBenchmark.run(
                table, new ReplicaFleetBenchmark.Fleet(90, 3, "192m", "256m", 8, Duration.ofSeconds(3)));
        table.print(System.out);
        Map<String, String> figures = figures(table);
        assertThat(figures.get("tunnels open per replica")).isEqualTo("30 / 30 / 30");
        assertThat(figures.get("clusters marked connected in cluster_status")).isEqualTo("90");
        assertThat(figures.entrySet())
                .filteredOn(e -> e.getKey().endsWith("tunnels lost"))
                .extracting(Map.Entry::getValue)
                .containsExactly("0");
    }

    private static Map<String, String> figures(BenchTable table) {
        Map<String, String> figures = new LinkedHashMap<>();
        table.rows().forEach(row -> figures.putIfAbsent(row[0], row[2]));
        return figures;
    }
}
