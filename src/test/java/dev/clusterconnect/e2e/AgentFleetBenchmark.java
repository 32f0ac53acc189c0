package dev.clusterconnect.e2e;

import dev.clusterconnect.routes.tunnel.TunnelSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What idle agent tunnels cost the relay: heap per tunnel at two fleet sizes, the CPU the
 * heartbeats of the larger fleet take, and how fast the fleet connects. The relay runs as its own
 * JVM from its runnable jar; the agents are {@link SimulatedAgent}s, light clients of the real
 * handshake and tunnel protocol, all in one separate load-generator JVM
 * ({@link SimulatedAgentFleet}). A {@code main}, not a test: it prints figures and asserts none.
 *
 * <p>System properties: {@code fleet.small} (1000), {@code fleet.large} (10000),
 * {@code fleet.heap} (relay -Xmx, 1g), {@code fleet.idle-seconds} (30),
 * {@code fleet.heartbeat-ms} (5000: shorter than the 15 s default so the idle window spans several
 * heartbeats), {@code fleet.heartbeat-timeout-ms} (45000, the default: TLS handshakes run on the
 * same event loops as the heartbeats, and on two busy cores a connect storm delays PINGs by more
 * than three shortened intervals), {@code fleet.concurrency} (32 handshakes in flight at most: more
 * only queue on two cores, until the 10 s TLS handshake timeout fails them).
 */
public final class AgentFleetBenchmark {

    private static final Duration BASELINE_IDLE = Duration.ofSeconds(10);
    private static final Duration CONNECT_TIMEOUT = Duration.ofMinutes(20);
    private static final int TOP_CLASSES = 25;

    /** The parameters of one run. */
    record Fleet(
            int small,
            int large,
            String heap,
            Duration idle,
            Duration heartbeat,
            Duration heartbeatTimeout,
            int concurrency) {

        static Fleet fromSystemProperties() {
            return new Fleet(
                    Integer.getInteger("fleet.small", 1_000),
                    Integer.getInteger("fleet.large", 10_000),
                    System.getProperty("fleet.heap", "1g"),
                    Duration.ofSeconds(Integer.getInteger("fleet.idle-seconds", 30)),
                    Duration.ofMillis(Integer.getInteger("fleet.heartbeat-ms", 5_000)),
                    Duration.ofMillis(Integer.getInteger("fleet.heartbeat-timeout-ms", 45_000)),
                    Integer.getInteger("fleet.concurrency", 32));
        }
    }

    private AgentFleetBenchmark() {}

    public static void main(String[] args) throws Exception {
        Fleet fleet = Fleet.fromSystemProperties();
        List<String[]> rows = run(fleet);
        print(fleet, rows);
        System.exit(0); // the issuer's and Awaitility's threads must not keep the JVM alive
    }

    /** Runs the whole benchmark and returns the table's rows: measure, direct (empty), relay, ratio (empty). */
    static List<String[]> run(Fleet fleet) throws Exception {
        List<String[]> rows = new ArrayList<>();
        try (FleetRelay relay =
                        FleetRelay.start(fleet.large(), fleet.heap(), fleet.heartbeat(), fleet.heartbeatTimeout());
                FleetSimulatorProcess agents = FleetSimulatorProcess.start(
                        "1g",
                        relay.dir.resolve("fleet-simulator.log"),
                        relay.agentUrl(),
                        relay.caFile().toString(),
                        relay.keysFile().toString(),
                        String.valueOf(fleet.heartbeat().toMillis()),
                        String.valueOf(fleet.heartbeatTimeout().toMillis()),
                        String.valueOf(fleet.concurrency()))) {
            progress(
                    "fleet of %d enrolled in %.1f s (0: reused from target/agent-fleet-%d); relay pid %d, simulator pid %d,"
                            + " files in %s",
                    fleet.large(),
                    relay.enrollMillis / 1000.0,
                    fleet.large(),
                    relay.process.pid(),
                    agents.process.pid(),
                    relay.dir);
            new Measurement(fleet, relay, agents, rows).all();
        }
        return rows;
    }

    /** Tunnels open at the relay, and its heap after a full GC. */
    private record Fleetsize(int open, long heap) {

        String perTunnelSince(Fleetsize earlier) {
            return kib((heap - earlier.heap) / (double) (open - earlier.open));
        }
    }

    /** The steps of one run, in order, each adding its rows. */
    private record Measurement(Fleet fleet, FleetRelay relay, FleetSimulatorProcess agents, List<String[]> rows) {

        void all() throws Exception {
            long pid = relay.process.pid();
            Fleetsize none = new Fleetsize(0, JvmProbe.usedHeapAfterFullGc(pid));
            Map<String, long[]> classesNone = JvmProbe.histogram(pid);
            double idleCoreNone = cpuShare(pid, BASELINE_IDLE);
            rows.add(row("relay heap after GC, 0 tunnels MiB", mib(none.heap())));
            Fleetsize small = connectAndWeigh(fleet.small(), none, none);
            Fleetsize large = small == null ? null : connectAndWeigh(fleet.large(), small, none);
            if (large == null) {
                return;
            }
            double marginal = (large.heap() - small.heap()) / (double) (large.open() - small.open());
            rows.add(row(
                    "idle tunnels per GiB of relay heap (marginal figure)",
                    String.format(Locale.ROOT, "%,.0f", (1L << 30) / marginal)));
            rows.add(row(
                    String.format(Locale.ROOT, "relay RSS, %,d tunnels MiB", large.open()),
                    String.valueOf(JvmProbe.rssKiB(pid) / 1024)));
            progress(
                    "relay heap growth per tunnel by class, 0 -> %,d tunnels (bytes, instances, class):", large.open());
            JvmProbe.growthPer(classesNone, JvmProbe.histogram(pid), large.open(), TOP_CLASSES)
                    .forEach(line -> progress("  %s", line));
            idleWindow(pid, large.open(), idleCoreNone);
        }

        /** Connects agents until {@code total} were dialed; null when the relay gave out. */
        private Fleetsize connectAndWeigh(int total, Fleetsize before, Fleetsize none) throws Exception {
            long relayCpu = CpuTime.withoutJit(relay.process.pid());
            long agentsCpu = CpuTime.withoutJit(agents.process.pid());
            String[] answer = agents.ask("connect " + total, CONNECT_TIMEOUT); // connected N failed F ms T lost L
            relayCpu = CpuTime.withoutJit(relay.process.pid()) - relayCpu;
            agentsCpu = CpuTime.withoutJit(agents.process.pid()) - agentsCpu;
            int open = Integer.parseInt(answer[1]);
            int added = Math.max(open - before.open(), 1);
            double seconds = Long.parseLong(answer[5]) / 1000.0;
            progress("connected %d agents (%s failed) in %.1f s", open, answer[3], seconds);
            String step = String.format(Locale.ROOT, "connect %,d -> %,d agents", before.open(), total);
            rows.add(row(
                    step + ", conn/s",
                    String.format(Locale.ROOT, "%.0f (%.1f s, %s failed)", added / seconds, seconds, answer[3])));
            rows.add(row(
                    step + ", CPU ms per connect: relay / agents",
                    String.format(Locale.ROOT, "%.1f / %.1f", relayCpu / 1e6 / added, agentsCpu / 1e6 / added)));
            rows.add(row("tunnels lost so far (no PING within the timeout)", answer[7]));
            // A few handshakes may time out on a busy machine; a relay that refuses many has given out.
            if (!relay.process.isAlive() || open < total * 0.95) {
                rows.add(row(
                        String.format(Locale.ROOT, "relay -Xmx%s gave out at tunnels", fleet.heap()),
                        String.format(
                                Locale.ROOT,
                                "%d of %d (%s)",
                                open,
                                total,
                                relay.process.isAlive() ? "alive, refused or failed handshakes" : "exited")));
                return null;
            }
            Fleetsize now = new Fleetsize(open, JvmProbe.usedHeapAfterFullGc(relay.process.pid()));
            rows.add(row(String.format(Locale.ROOT, "relay heap after GC, %,d tunnels MiB", open), mib(now.heap())));
            rows.add(row(
                    String.format(Locale.ROOT, "relay heap per tunnel, 0 -> %,d KiB", open), now.perTunnelSince(none)));
            if (before.open() > 0) {
                rows.add(row(
                        String.format(Locale.ROOT, "relay heap per tunnel, %,d -> %,d KiB", before.open(), open),
                        now.perTunnelSince(before)));
            }
            return now;
        }

        /** Relay CPU over an idle interval with the whole fleet connected, and what the heartbeats were. */
        private void idleWindow(long pid, int tunnels, double idleCoreNone) throws Exception {
            long framesBefore = Long.parseLong(agents.ask("frames", Duration.ofSeconds(10))[1]);
            long agentsCpuBefore = CpuTime.withoutJit(agents.process.pid());
            double core = cpuShare(pid, fleet.idle());
            double agentsCore = (CpuTime.withoutJit(agents.process.pid()) - agentsCpuBefore)
                    / (double) fleet.idle().toNanos();
            String[] after = agents.ask("frames", Duration.ofSeconds(10)); // frames F open O lost L
            long frames = Long.parseLong(after[1]) - framesBefore;
            long expected =
                    2L * tunnels * fleet.idle().toMillis() / fleet.heartbeat().toMillis();
            double netMicros = (core - idleCoreNone) * fleet.idle().toNanos() / 1000.0 / Math.max(frames, 1);
            String interval = String.format(
                    Locale.ROOT,
                    "%,d tunnels, PING every %d s",
                    tunnels,
                    fleet.heartbeat().toSeconds());
            rows.add(row("relay CPU idle, 0 tunnels, % of a core", pct(idleCoreNone)));
            rows.add(row("relay CPU idle, " + interval + ", % of a core", pct(core)));
            rows.add(row(
                    "heartbeat exchanges at the relay in " + fleet.idle().toSeconds() + " s",
                    String.format(Locale.ROOT, "%d (expected %d)", frames, expected)));
            rows.add(row(
                    "relay CPU per heartbeat exchange us (net of 0 tunnels)",
                    String.format(Locale.ROOT, "%.1f", netMicros)));
            Duration standard = TunnelSettings.defaults().heartbeatInterval();
            rows.add(row(
                    String.format(
                            Locale.ROOT,
                            "projected relay CPU, %,d tunnels, PING every %d s, %% of a core",
                            tunnels,
                            standard.toSeconds()),
                    pct(netMicros * 2 * tunnels / standard.toSeconds() / 1e6)));
            rows.add(row("simulated agents' CPU, % of a core (load generator)", pct(agentsCore)));
            rows.add(row("tunnels lost during the idle window", after[5] + " (open " + after[3] + ")"));
            rows.add(row(
                    String.format(Locale.ROOT, "relay heap after GC, after idle MiB"),
                    mib(JvmProbe.usedHeapAfterFullGc(pid))));
        }

        /** CPU the process used over {@code interval}, as a share of one core. */
        private static double cpuShare(long pid, Duration interval) throws Exception {
            long before = CpuTime.withoutJit(pid);
            long start = System.nanoTime();
            Thread.sleep(interval.toMillis()); // the measurement interval itself, not a wait for a condition
            return (CpuTime.withoutJit(pid) - before) / (double) (System.nanoTime() - start);
        }
    }

    private static String[] row(String measure, String relay) {
        return new String[] {measure, "", relay, ""};
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / (1024.0 * 1024));
    }

    private static String kib(double bytes) {
        return String.format(Locale.ROOT, "%.2f", bytes / 1024);
    }

    private static String pct(double share) {
        return String.format(Locale.ROOT, "%.2f", share * 100);
    }

    private static void progress(String format, Object... args) {
        System.out.printf(format + "%n", args);
    }

    static void print(Fleet fleet, List<String[]> rows) {
        System.out.printf(
                "%nclusterconnect idle agent fleet (%d cores, relay -Xmx%s in its own JVM; %,d simulated agents in one"
                        + " separate JVM, at most %d handshakes at a time; heartbeat %d s, timeout %d s)%n",
                Runtime.getRuntime().availableProcessors(),
                fleet.heap(),
                fleet.large(),
                fleet.concurrency(),
                fleet.heartbeat().toSeconds(),
                fleet.heartbeatTimeout().toSeconds());
        String format = "| %-58s | %6s | %22s | %12s |%n";
        System.out.printf(format, "measure", "direct", "chain", "chain/direct");
        System.out.printf(format, "-".repeat(58), "-".repeat(6), "-".repeat(22), "-".repeat(12));
        for (String[] row : rows) {
            System.out.printf(format, (Object[]) row);
        }
    }
}
