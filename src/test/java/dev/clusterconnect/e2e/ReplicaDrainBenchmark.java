package dev.clusterconnect.e2e;

import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How long the agents of a drained replica take to move: a fleet of idle agents on replica A
 * (B and C up and empty), two HAProxy nodes in front of all three (one node cannot hold 10,000
 * tunnels here: {@link ReplicaBenchBalancer}), agent i moving through node i % 2, then SIGTERM to A. A turns unready, waits
 * its unready delay (HAProxy takes it out meanwhile), tells its agents to move (GOAWAY, at most
 * relay.shutdown.agents-moving-at-once at a time: {@code replica-drain.moving-at-once}, default
 * the relay's own), and exits; each
 * agent dials its next tunnel through HAProxy at once, as the real agent does, retrying with the
 * agent's backoff ({@link ReplicaBenchMovingFleet}). This runner polls the store every 100 ms:
 * from SIGTERM until every cluster has a presence row at B or C, and until A exits. The agents
 * time their own move, from their GOAWAY to the new tunnel's 101.
 *
 * <p>System properties: {@code replica-drain.agents} (10000), {@code replica-drain.heap} (relay
 * -Xmx, 512m), {@code replica-drain.unready-delay-ms} (5000) and {@code replica-drain.drain-timeout-ms}
 * (30000): the relay chart's defaults; {@code replica-drain.concurrency} (32 handshakes in flight
 * while the fleet first connects to A; the move itself is not limited, as real agents are not).
 * A part of {@link ReplicaSetBenchmark}: it asserts nothing.
 */
final class ReplicaDrainBenchmark {

    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration MOVE_LIMIT = Duration.ofMinutes(5);
    private static final String LEAVING = ReplicaBenchRelays.instanceId(0);

    /** The parameters of one run. */
    record Drain(int agents, String heap, Duration unreadyDelay, Duration drainTimeout, int concurrency) {

        static Drain fromSystemProperties() {
            return new Drain(
                    Integer.getInteger("replica-drain.agents", 10_000),
                    System.getProperty("replica-drain.heap", "512m"),
                    Duration.ofMillis(Integer.getInteger("replica-drain.unready-delay-ms", 5_000)),
                    Duration.ofMillis(Integer.getInteger("replica-drain.drain-timeout-ms", 30_000)),
                    Integer.getInteger("replica-drain.concurrency", 32));
        }
    }

    /** What the poll saw, in milliseconds after SIGTERM; -1 for what did not happen within the limit. */
    private static final class Timeline {
        long unready = -1;
        long outOfBalancer = -1;
        long allAtOthers = -1;
        long noneAtLeaving = -1;
        long deregistered = -1;
        long exited = -1;
        int maxNowhere;
        int pollsWithNowhere;
        int polls;
    }

    private ReplicaDrainBenchmark() {}

    /** The relay's relay.shutdown.agents-moving-at-once, when {@code replica-drain.moving-at-once} is set. */
    private static Map<String, String> movingAtOnce() {
        String atOnce = System.getProperty("replica-drain.moving-at-once");
        return atOnce == null ? Map.of() : Map.of("relay.shutdown.agents-moving-at-once", atOnce);
    }

    static void run(BenchTable table, Drain drain) throws Exception {
        table.section(
                String.format(
                        Locale.ROOT,
                        "%,d idle agents move off a drained replica (ReplicaDrainBenchmark: 3 replicas -Xmx%s"
                                + " on PostgreSQL behind two HAProxy nodes, the agents in one simulator JVM on A; SIGTERM to A; unready-delay %d ms,"
                                + " drain-timeout %d ms)",
                        drain.agents(),
                        drain.heap(),
                        drain.unreadyDelay().toMillis(),
                        drain.drainTimeout().toMillis()),
                "",
                "measured");
        Path dir = Files.createTempDirectory("cc-bench-drain-");
        try (PostgresDatabase database = PostgresDatabase.create("cc_bench_drain");
                Issuer issuer = new Issuer(dir)) {
            Path keys =
                    Files.write(dir.resolve("agent-keys.tsv"), ReplicaBenchEnrollment.enroll(database, drain.agents()));
            ReplicaBenchRelays.Options options = new ReplicaBenchRelays.Options(
                    3,
                    drain.heap(),
                    Duration.ofSeconds(15),
                    Duration.ofSeconds(45),
                    drain.unreadyDelay(),
                    drain.drainTimeout(),
                    movingAtOnce());
            try (ReplicaBenchRelays relays = ReplicaBenchRelays.start(dir, database, issuer, options);
                    ReplicaBenchStore store = ReplicaBenchStore.open(database);
                    ReplicaBenchBalancer one = ReplicaBenchBalancer.start(dir, relays, "1");
                    ReplicaBenchBalancer two = ReplicaBenchBalancer.start(dir, relays, "2");
                    ReplicaBenchFleetProcess agents = ReplicaBenchFleetProcess.start(
                            "1g",
                            dir.resolve("moving-fleet.log"),
                            relays.agentUrl(0),
                            one.agentUrl() + "," + two.agentUrl(),
                            relays.caFile().toString(),
                            keys.toString(),
                            "15000",
                            "45000",
                            String.valueOf(drain.concurrency()))) {
                try {
                    measure(table, drain, relays, store, List.of(one, two), agents);
                } finally {
                    for (int i = 0; i < relays.count(); i++) {
                        ReplicaFleetBenchmark.noteProblems(table, relays, i);
                    }
                }
            }
        }
    }

    private static void measure(
            BenchTable table,
            Drain drain,
            ReplicaBenchRelays relays,
            ReplicaBenchStore store,
            List<ReplicaBenchBalancer> balancers,
            ReplicaBenchFleetProcess agents)
            throws Exception {
        String[] connected =
                agents.ask("connect " + drain.agents(), Duration.ofMinutes(30)); // connected N failed F ms T
        int open = Integer.parseInt(connected[1]);
        table.note(
                String.format(Locale.ROOT, "setup: %,d agents connected to A, s (failed)", drain.agents()),
                String.format(Locale.ROOT, "%.1f (%s failed)", Long.parseLong(connected[5]) / 1000.0, connected[3]));
        await().atMost(Duration.ofMinutes(5))
                .pollInterval(POLL)
                .until(() -> store.presenceByInstance().getOrDefault(LEAVING, 0) >= open);
        ReplicaBenchStore.Snapshot before = store.snapshot();
        long[] cpuBefore = cpu(relays, agents);
        long sigterm = System.currentTimeMillis();
        long start = System.nanoTime();
        Process leaving = relays.process(0);
        leaving.destroy();
        Timeline seen = follow(relays, store, balancers, leaving, open, start);
        long[] cpuUsed = cpu(relays, agents);
        ReplicaBenchStore.Snapshot after = store.snapshot();
        String[] moves = agents.ask("moves", Duration.ofSeconds(30));
        report(table, drain, open, seen, sigterm, moves, leaving);
        after.describeSince(before, after.seconds(before))
                .forEach((measure, value) -> table.note(
                        String.format(
                                Locale.ROOT,
                                "store during the move (%.0f s window): %s",
                                after.seconds(before),
                                measure),
                        value));
        long moved = ReplicaBenchFleetProcess.value(moves, "moves");
        Map<String, Integer> rows = store.presenceByInstance();
        int atB = Math.max(1, rows.getOrDefault(ReplicaBenchRelays.instanceId(1), 0));
        int atC = Math.max(1, rows.getOrDefault(ReplicaBenchRelays.instanceId(2), 0));
        table.note(
                "CPU ms per agent taken in: relay B / relay C; simulator per moved agent",
                String.format(
                        Locale.ROOT,
                        "%.1f / %.1f; %.1f",
                        (cpuUsed[1] - cpuBefore[1]) / 1e6 / atB,
                        (cpuUsed[2] - cpuBefore[2]) / 1e6 / atC,
                        (cpuUsed[3] - cpuBefore[3]) / 1e6 / Math.max(moved, 1)));
        table.note("presence rows per replica after the move", rows.toString());
        table.note(
                "clusters marked connected in cluster_status after the move",
                String.valueOf(store.connectedClusters()));
    }

    /** Polls until every cluster is held at B or C, A has exited and its rows are gone, or the limit. */
    private static Timeline follow(
            ReplicaBenchRelays relays,
            ReplicaBenchStore store,
            List<ReplicaBenchBalancer> balancers,
            Process leaving,
            int open,
            long start)
            throws Exception {
        Timeline seen = new Timeline();
        long limit = start + MOVE_LIMIT.toNanos();
        // Until A is gone from the store too: a replica that could not deregister leaves its rows to the sweep.
        while (System.nanoTime() < limit
                && (seen.allAtOthers < 0 || seen.exited < 0 || seen.deregistered < 0 || seen.noneAtLeaving < 0)) {
            long at = (System.nanoTime() - start) / 1_000_000;
            if (seen.unready < 0 && relays.readiness(0) != 200) {
                seen.unready = at;
            }
            if (seen.outOfBalancer < 0
                    && !balancers.get(0).isUp(0)
                    && !balancers.get(1).isUp(0)) {
                seen.outOfBalancer = at;
            }
            ReplicaBenchStore.Move move = store.move(LEAVING);
            seen.polls++;
            seen.maxNowhere = Math.max(seen.maxNowhere, move.nowhere());
            seen.pollsWithNowhere += move.nowhere() > 0 ? 1 : 0;
            if (seen.allAtOthers < 0 && move.atOthers() >= open) {
                seen.allAtOthers = at;
            }
            if (seen.noneAtLeaving < 0 && move.atLeaving() == 0) {
                seen.noneAtLeaving = at;
            }
            if (seen.deregistered < 0 && !move.leavingRegistered()) {
                seen.deregistered = at;
            }
            if (seen.exited < 0 && !leaving.isAlive()) {
                seen.exited = at;
            }
            Thread.sleep(POLL.toMillis()); // the poll interval of a measurement, not a wait for a condition
        }
        return seen;
    }

    private static void report(
            BenchTable table, Drain drain, int open, Timeline seen, long sigterm, String[] moves, Process leaving) {
        table.note(
                "unready-delay / drain-timeout used",
                drain.unreadyDelay().toMillis() + " / " + drain.drainTimeout().toMillis() + " ms");
        table.note("SIGTERM -> A's readiness probe fails, s", seconds(seen.unready));
        table.note("SIGTERM -> both HAProxy nodes took A out, s", seconds(seen.outOfBalancer));
        long first = ReplicaBenchFleetProcess.value(moves, "firstGoAway");
        long last = ReplicaBenchFleetProcess.value(moves, "lastGoAway");
        table.note(
                "SIGTERM -> first / last agent received GOAWAY, s",
                seconds(first == 0 ? -1 : first - sigterm) + " / " + seconds(last == 0 ? -1 : last - sigterm));
        long lastMoved = ReplicaBenchFleetProcess.value(moves, "lastMoved");
        table.note(
                "SIGTERM -> last agent's new tunnel up (its 101), s",
                seconds(lastMoved == 0 ? -1 : lastMoved - sigterm));
        table.note(
                String.format(Locale.ROOT, "SIGTERM -> all %,d clusters have a presence row at B or C, s", open),
                seconds(seen.allAtOthers));
        table.note(
                "SIGTERM -> A's presence rows all gone / A's instance row gone, s",
                seconds(seen.noneAtLeaving) + " / " + seconds(seen.deregistered));
        table.note(
                "SIGTERM -> A exited, s (exit code)",
                seconds(seen.exited) + (leaving.isAlive() ? " (still running)" : " (" + leaving.exitValue() + ")"));
        table.note(
                "per-agent move, GOAWAY -> new tunnel up, p50 / p90 / p99 / max ms",
                ReplicaBenchFleetProcess.value(moves, "p50")
                        + " / " + ReplicaBenchFleetProcess.value(moves, "p90") + " / "
                        + ReplicaBenchFleetProcess.value(moves, "p99") + " / "
                        + ReplicaBenchFleetProcess.value(moves, "max"));
        table.note(
                "per-agent move, the simulator's dial started -> new tunnel up, p50 / p99 ms",
                ReplicaBenchFleetProcess.value(moves, "dialP50") + " / "
                        + ReplicaBenchFleetProcess.value(moves, "dialP99"));
        long lastDial = ReplicaBenchFleetProcess.value(moves, "lastDialStarted");
        table.note(
                "SIGTERM -> the simulator started its last move dial, s",
                seconds(lastDial == 0 ? -1 : lastDial - sigterm));
        table.note(
                "agents moved / received GOAWAY / tunnels open at the end",
                ReplicaBenchFleetProcess.value(moves, "moves") + " / "
                        + ReplicaBenchFleetProcess.value(moves, "goaways") + " / "
                        + ReplicaBenchFleetProcess.value(moves, "open"));
        table.note(
                "dials that failed during the move (of them 503 from a draining replica)",
                ReplicaBenchFleetProcess.value(moves, "failedDials") + " ("
                        + ReplicaBenchFleetProcess.value(moves, "refused") + ")");
        table.note(
                "old tunnel closed before the new one was up (agents)",
                String.valueOf(ReplicaBenchFleetProcess.value(moves, "closedFirst")));
        table.note(
                "clusters with no presence row anywhere: most at one poll (polls with any / all polls)",
                seen.maxNowhere + " (" + seen.pollsWithNowhere + " / " + seen.polls + ")");
    }

    /** CPU nanoseconds so far of relays A, B, C and the simulator (A's stays at what it was once it exits). */
    private static long[] cpu(ReplicaBenchRelays relays, ReplicaBenchFleetProcess agents) {
        long[] cpu = new long[4];
        for (int i = 0; i < 3; i++) {
            cpu[i] = ReplicaBenchCpu.nanos(relays.process(i).pid());
        }
        cpu[3] = ReplicaBenchCpu.nanos(agents.process.pid());
        return cpu;
    }

    private static String seconds(long millis) {
        return millis < 0
                ? "not within " + MOVE_LIMIT.toMinutes() + " min"
                : String.format(Locale.ROOT, "%.2f", millis / 1000.0);
    }
}
