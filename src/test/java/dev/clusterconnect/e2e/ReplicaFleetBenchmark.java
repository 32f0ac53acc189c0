package dev.clusterconnect.e2e;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A fleet of idle agents spread over relay replicas: heap per tunnel on each replica, and what
 * presence costs PostgreSQL while the fleet connects and during an idle minute (the server's own
 * row and commit counters, {@link ReplicaBenchStore}). The replicas are separate JVMs from the
 * runnable jar ({@link ReplicaBenchRelays}); the agents are {@link SimulatedAgentFleet}s, one JVM per
 * replica, agent {@code i} on replica {@code i % replicas} (round robin by index, no load
 * balancer: 30,000 connections to one HAProxy port would use more than the 28,232 ephemeral ports
 * of one source address, and HAProxy would hold two file descriptors per tunnel). A part of
 * {@link ReplicaSetBenchmark}: it asserts nothing.
 *
 * <p>System properties: {@code replica-fleet.agents} (30000), {@code replica-fleet.replicas} (3),
 * {@code replica-fleet.heap} (relay -Xmx, 512m), {@code replica-fleet.simulator-heap} (1g per
 * simulator JVM), {@code replica-fleet.concurrency} (16 handshakes in flight per simulator),
 * {@code replica-fleet.idle-seconds} (60); heartbeats at the defaults (PING every 15 s, 45 s timeout).
 */
final class ReplicaFleetBenchmark {

    private static final Duration CONNECT_TIMEOUT = Duration.ofMinutes(30);

    /** The parameters of one run. */
    record Fleet(int agents, int replicas, String heap, String simulatorHeap, int concurrency, Duration idle) {

        static Fleet fromSystemProperties() {
            return new Fleet(
                    Integer.getInteger("replica-fleet.agents", 30_000),
                    Integer.getInteger("replica-fleet.replicas", 3),
                    System.getProperty("replica-fleet.heap", "512m"),
                    System.getProperty("replica-fleet.simulator-heap", "1g"),
                    Integer.getInteger("replica-fleet.concurrency", 16),
                    Duration.ofSeconds(Integer.getInteger("replica-fleet.idle-seconds", 60)));
        }
    }

    private ReplicaFleetBenchmark() {}

    static void run(BenchTable table, Fleet fleet) throws Exception {
        table.section(
                String.format(
                        Locale.ROOT,
                        "%,d idle agents over %d relay replicas (ReplicaFleetBenchmark: replicas -Xmx%s"
                                + " on PostgreSQL, each its own JVM; agent i on replica i %% %d; one simulator JVM per replica, %d handshakes in"
                                + " flight each; PING every 15 s)",
                        fleet.agents(),
                        fleet.replicas(),
                        fleet.heap(),
                        fleet.replicas(),
                        fleet.concurrency()),
                "",
                "measured");
        Path dir = Files.createTempDirectory("cc-bench-fleet-");
        try (PostgresDatabase database = PostgresDatabase.create("cc_bench_fleet");
                Issuer issuer = new Issuer(dir)) {
            long start = System.nanoTime();
            List<String> agents = ReplicaBenchEnrollment.enroll(database, fleet.agents());
            table.note(
                    String.format(Locale.ROOT, "setup: %,d clusters with their keys registered, s", fleet.agents()),
                    String.format(Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e9));
            ReplicaBenchRelays.Options options = new ReplicaBenchRelays.Options(
                    fleet.replicas(),
                    fleet.heap(),
                    Duration.ofSeconds(15),
                    Duration.ofSeconds(45),
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(10),
                    Map.of());
            try (ReplicaBenchRelays relays = ReplicaBenchRelays.start(dir, database, issuer, options);
                    ReplicaBenchStore store = ReplicaBenchStore.open(database)) {
                List<FleetSimulatorProcess> simulators = new ArrayList<>();
                try {
                    new Measurement(table, fleet, relays, store, simulators, dir).all(agents);
                } finally {
                    for (FleetSimulatorProcess simulator : simulators) {
                        simulator.close();
                    }
                    for (int i = 0; i < relays.count(); i++) {
                        noteProblems(table, relays, i);
                    }
                }
            }
        }
    }

    /** The steps of one run, in order, each adding its rows. */
    private record Measurement(
            BenchTable table,
            Fleet fleet,
            ReplicaBenchRelays relays,
            ReplicaBenchStore store,
            List<FleetSimulatorProcess> simulators,
            Path dir) {

        void all(List<String> agents) throws Exception {
            int n = relays.count();
            long[] emptyHeap = new long[n];
            for (int i = 0; i < n; i++) {
                emptyHeap[i] = JvmProbe.usedHeapAfterFullGc(relays.process(i).pid());
            }
            for (int i = 0; i < n; i++) {
                Path keys = ReplicaBenchEnrollment.slice(agents, i, n, dir.resolve("agent-keys-" + i + ".tsv"));
                simulators.add(FleetSimulatorProcess.start(
                        fleet.simulatorHeap(),
                        dir.resolve("fleet-simulator-" + i + ".log"),
                        relays.agentUrl(i),
                        relays.caFile().toString(),
                        keys.toString(),
                        "15000",
                        "45000",
                        String.valueOf(fleet.concurrency())));
            }
            int open = connect(agents.size());
            if (open == 0) {
                return;
            }
            weigh(emptyHeap);
            idleMinute();
        }

        /** Every simulator connects its share at once; returns the tunnels open. */
        private int connect(int total) throws Exception {
            ReplicaBenchStore.Snapshot before = store.snapshot();
            long[] cpuBefore = relayCpu();
            long start = System.nanoTime();
            ExecutorService askers = Executors.newFixedThreadPool(simulators.size());
            List<Future<String[]>> answers = new ArrayList<>();
            for (FleetSimulatorProcess simulator : simulators) {
                // connect N dials until N of its own agents were dialed: its whole slice
                answers.add(askers.submit(() -> simulator.ask("connect " + total, CONNECT_TIMEOUT)));
            }
            int open = 0;
            int failed = 0;
            List<String> perReplica = new ArrayList<>();
            for (Future<String[]> answer : answers) {
                String[] words = answer.get(); // connected N failed F ms T lost L
                open += Integer.parseInt(words[1]);
                failed += Integer.parseInt(words[3]);
                perReplica.add(words[1]);
            }
            askers.shutdown();
            double seconds = (System.nanoTime() - start) / 1e9;
            long[] cpuUsed = relayCpu();
            table.note(
                    String.format(Locale.ROOT, "connect %,d agents: s, conn/s, failed", total),
                    String.format(Locale.ROOT, "%.1f s, %.0f/s, %d failed", seconds, open / seconds, failed));
            table.note("tunnels open per replica", String.join(" / ", perReplica));
            StringBuilder cpu = new StringBuilder();
            for (int i = 0; i < cpuUsed.length; i++) {
                cpu.append(i == 0 ? "" : " / ")
                        .append(String.format(
                                Locale.ROOT,
                                "%.1f",
                                (cpuUsed[i] - cpuBefore[i]) / 1e6 / Math.max(1, open / relays.count())));
            }
            table.note("relay CPU ms per connect, each replica", cpu.toString());
            long connected = System.nanoTime();
            int expected = open;
            // The presence writer of each replica writes one transaction per new cluster, in turn:
            // how long after the last 101 the store says where every tunnel is.
            await().atMost(Duration.ofMinutes(10))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> store.presenceByInstance().values().stream()
                                    .mapToInt(Integer::intValue)
                                    .sum()
                            >= expected);
            table.note(
                    "presence lag: last tunnel up -> every presence row written, s",
                    String.format(Locale.ROOT, "%.2f", (System.nanoTime() - connected) / 1e9));
            ReplicaBenchStore.Snapshot after = store.snapshot();
            after.describeSince(before, seconds)
                    .forEach((measure, value) -> table.note("connect phase: " + measure, value));
            table.note("presence rows per replica", store.presenceByInstance().toString());
            table.note("clusters marked connected in cluster_status", String.valueOf(store.connectedClusters()));
            return open;
        }

        private void weigh(long[] emptyHeap) throws Exception {
            StringBuilder empty = new StringBuilder();
            StringBuilder full = new StringBuilder();
            StringBuilder perTunnel = new StringBuilder();
            StringBuilder rss = new StringBuilder();
            Map<String, Integer> rows = store.presenceByInstance();
            for (int i = 0; i < relays.count(); i++) {
                long pid = relays.process(i).pid();
                long heap = JvmProbe.usedHeapAfterFullGc(pid);
                int tunnels = rows.getOrDefault(ReplicaBenchRelays.instanceId(i), 0);
                String sep = i == 0 ? "" : " / ";
                empty.append(sep).append(mib(emptyHeap[i]));
                full.append(sep).append(mib(heap));
                perTunnel
                        .append(sep)
                        .append(String.format(
                                Locale.ROOT, "%.2f", (heap - emptyHeap[i]) / 1024.0 / Math.max(tunnels, 1)));
                rss.append(sep).append(JvmProbe.rssKiB(pid) / 1024);
            }
            table.note("relay heap after GC, 0 tunnels MiB, each replica", empty.toString());
            table.note("relay heap after GC, all tunnels MiB, each replica", full.toString());
            table.note("relay heap per tunnel KiB, each replica", perTunnel.toString());
            table.note("relay RSS, all tunnels MiB, each replica", rss.toString());
        }

        private void idleMinute() throws Exception {
            long[] lostBefore = lost();
            ReplicaBenchStore.Snapshot before = store.snapshot();
            long[] cpuBefore = relayCpu();
            Thread.sleep(fleet.idle().toMillis()); // the measurement window itself, not a wait for a condition
            long[] cpuAfter = relayCpu();
            ReplicaBenchStore.Snapshot after = store.snapshot();
            // The counters' window is the idle one plus a settle (ReplicaBenchStore): still all idle.
            double seconds = after.seconds(before);
            String store = String.format(Locale.ROOT, "idle, store (%.0f s window): ", seconds);
            after.describeSince(before, seconds).forEach((measure, value) -> table.note(store + measure, value));
            String window = "idle " + fleet.idle().toSeconds() + " s: ";
            StringBuilder cpu = new StringBuilder();
            for (int i = 0; i < cpuAfter.length; i++) {
                cpu.append(i == 0 ? "" : " / ")
                        .append(String.format(
                                Locale.ROOT,
                                "%.2f",
                                (cpuAfter[i] - cpuBefore[i]) / (fleet.idle().toNanos() / 100.0)));
            }
            table.note(window + "relay CPU % of a core, each replica", cpu.toString());
            long[] lostAfter = lost();
            long lost = 0;
            for (int i = 0; i < lostAfter.length; i++) {
                lost += lostAfter[i] - lostBefore[i];
            }
            table.note(window + "tunnels lost", String.valueOf(lost));
        }

        private long[] lost() throws InterruptedException {
            long[] lost = new long[simulators.size()];
            for (int i = 0; i < lost.length; i++) {
                lost[i] = Long.parseLong(
                        simulators.get(i).ask("frames", Duration.ofSeconds(30))[5]); // frames F open O lost L
            }
            return lost;
        }

        private long[] relayCpu() {
            long[] cpu = new long[relays.count()];
            for (int i = 0; i < cpu.length; i++) {
                cpu[i] = ReplicaBenchCpu.nanos(relays.process(i).pid());
            }
            return cpu;
        }
    }

    /** A row with replica {@code i}'s WARN and ERROR line count; every kind of them goes to standard output. */
    static void noteProblems(BenchTable table, ReplicaBenchRelays relays, int i) throws IOException {
        List<String> kinds = relays.problems(i);
        String id = ReplicaBenchRelays.instanceId(i);
        System.out.printf("%s: %d WARN/ERROR line(s) in %s%n", id, relays.problemCount(i), relays.log(i));
        kinds.forEach(kind -> System.out.println("  " + kind));
        table.note(
                id + " WARN/ERROR lines (kinds on stdout)",
                relays.problemCount(i)
                        + (kinds.isEmpty()
                                ? ""
                                : ", most: "
                                        + kinds.get(0)
                                                .substring(
                                                        0, Math.min(kinds.get(0).indexOf("   (first"), 90))));
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / (1024.0 * 1024));
    }
}
