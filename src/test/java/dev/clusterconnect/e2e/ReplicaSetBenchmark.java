package dev.clusterconnect.e2e;

import java.util.Set;

/**
 * The replica parts of {@code bin/bench}, one table for all of them (docs/benchmarks.md,
 * "Replicas"): {@code replicas} (a forwarded hop against the same replica,
 * {@link ReplicaHopBenchmark}), {@code replica-fleet} (idle agents spread over three replicas,
 * {@link ReplicaFleetBenchmark}), {@code replica-drain} (the agents of a drained replica moving,
 * {@link ReplicaDrainBenchmark}). Every part runs its relays as separate JVMs from the runnable
 * jar on a fresh database of the PostgreSQL server at 127.0.0.1:5432. A {@code main}, not a test:
 * it prints figures and asserts none. Parts come from {@code -Dbench.parts}; others are ignored
 * ({@link ChainBenchmark} runs them).
 */
public final class ReplicaSetBenchmark {

    static final Set<String> PARTS = Set.of("replicas", "replica-fleet", "replica-drain");

    private ReplicaSetBenchmark() {}

    public static void main(String[] args) {
        Set<String> parts = Set.of(
                System.getProperty("bench.parts", String.join(",", PARTS)).split(","));
        BenchTable table = new BenchTable();
        boolean ok = true;
        try {
            // Each part on its own: one that fails leaves the figures of the others.
            ok &= part(parts, "replicas", () -> ReplicaHopBenchmark.run(table));
            ok &= part(
                    parts,
                    "replica-fleet",
                    () -> ReplicaFleetBenchmark.run(table, ReplicaFleetBenchmark.Fleet.fromSystemProperties()));
            ok &= part(
                    parts,
                    "replica-drain",
                    () -> ReplicaDrainBenchmark.run(table, ReplicaDrainBenchmark.Drain.fromSystemProperties()));
        } finally {
            table.print(System.out);
        }
        // the issuers' and Awaitility's threads must not keep the JVM alive
        System.exit(ok ? 0 : 1);
    }

    private interface Part {
        void run() throws Exception;
    }

    /** False when the part was asked for and failed. */
    private static boolean part(Set<String> parts, String name, Part part) {
        if (!parts.contains(name)) {
            return true;
        }
        try {
            part.run();
            return true;
        } catch (Exception | Error e) {
            System.err.println("part " + name + " failed:");
            e.printStackTrace();
            return false;
        }
    }
}
