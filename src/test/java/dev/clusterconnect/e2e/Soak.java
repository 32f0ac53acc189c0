package dev.clusterconnect.e2e;

import dev.clusterconnect.sandbox.SandboxApiServer;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A leak soak: relay, agent and proxy as separate JVMs from their runnable jars in front of a
 * sandbox apiserver, under mixed load ({@link SoakLoad}) for many minutes. Every sample prints
 * what each app holds (heap after a full GC, threads, file descriptors, streams open) and the
 * requests done and failed per kind since the last one; at the end each series is judged flat or
 * rising ({@link SoakTrend}). Run with {@code bin/soak}; {@link SoakShortTest} runs a minute of it.
 *
 * <p>Nothing here is timed: the rates only pace the load, and a request fails on a wrong answer
 * or after a minute without one.
 */
public final class Soak {

    /** How long, how often to sample, the apps' heap limit and the load. */
    record Settings(Duration length, Duration sampleEvery, String heap, SoakLoad.Rates rates) {

        static Settings fromSystemProperties() {
            return new Settings(
                    Duration.ofSeconds(Math.round(60 * Double.parseDouble(System.getProperty("soak.minutes", "30")))),
                    Duration.ofSeconds(Long.getLong("soak.sample-seconds", 60)),
                    System.getProperty("soak.heap", "128m"),
                    new SoakLoad.Rates(
                            Integer.getInteger("soak.gets-per-second", 100),
                            Duration.ofSeconds(1),
                            Duration.ofSeconds(30),
                            Long.getLong("soak.large-list-bytes", 32L * 1024 * 1024),
                            Integer.getInteger("soak.watchers", 2),
                            Duration.ofSeconds(Long.getLong("soak.exec-seconds", 4)),
                            Duration.ofSeconds(Long.getLong("soak.port-forward-seconds", 10))));
        }
    }

    /** One sample: minutes since the load started, each app's readings, requests per kind since the last. */
    record Sample(double minute, Map<String, Map<String, Double>> apps, Map<String, long[]> requests) {}

    /** What a run found: its samples, requests over the whole run, the judgements, what was still open after. */
    record Result(
            List<Sample> samples,
            Map<String, long[]> totals,
            List<String> failures,
            Map<String, Map<String, SoakTrend.Judgement>> judgements,
            Map<String, Double> openAfterLoad) {

        long failed() {
            return totals.values().stream().mapToLong(counts -> counts[1]).sum();
        }

        boolean rising() {
            return judgements.values().stream()
                    .flatMap(bySeries -> bySeries.values().stream())
                    .anyMatch(j -> j.verdict() == SoakTrend.Verdict.RISING);
        }

        /** Streams still open in the tunnels once the load stopped and they had time to close. */
        boolean tunnelStreamsLeft() {
            return openAfterLoad.getOrDefault("relay", 0.0) > 0 || openAfterLoad.getOrDefault("agent", 0.0) > 0;
        }
    }

    private Soak() {}

    public static void main(String[] args) {
        int status = 1;
        try {
            Result result = run(Settings.fromSystemProperties(), System.out);
            status = result.failed() > 0 || result.rising() || result.tunnelStreamsLeft() ? 1 : 0;
        } catch (Exception | Error e) {
            e.printStackTrace();
        }
        System.exit(status);
    }

    static Result run(Settings settings, PrintStream out) throws Exception {
        try (SandboxApiServer apiserver = SandboxApiServer.builder()
                        .token("agent-secret-token", Chain.AGENT_USER)
                        .impersonator(Chain.AGENT_USER)
                        .demoPods(true)
                        .bulkConfigMaps("bulk", settings.rates().largeListBytes())
                        .build()
                        .start();
                SeparateProcesses chain = SeparateProcesses.start(apiserver, settings.heap())) {
            out.printf(
                    Locale.ROOT,
                    "soak: %d min, a sample every %d s, apps -Xmx%s, %d cores; %s; logs in %s%n%n",
                    settings.length().toMinutes(),
                    settings.sampleEvery().toSeconds(),
                    settings.heap(),
                    Runtime.getRuntime().availableProcessors(),
                    settings.rates(),
                    chain.dir);
            SoakCounts counts = new SoakCounts();
            SoakSampler sampler = new SoakSampler(chain);
            List<Sample> samples = new ArrayList<>();
            SoakTable.header(out);
            long start = System.nanoTime();
            Map<String, Map<String, long[]>> halfway = null;
            Map<String, Map<String, long[]>> end;
            try (SoakLoad load = new SoakLoad(chain, settings.rates(), counts)) {
                load.start();
                for (long next = settings.sampleEvery().toNanos();
                        next <= settings.length().toNanos();
                        next += settings.sampleEvery().toNanos()) {
                    Thread.sleep(Math.max(0, (start + next - System.nanoTime()) / 1_000_000));
                    // stamped when the sample starts: reading three JVMs (a full GC each) takes seconds
                    double minute = (System.nanoTime() - start) / 60e9;
                    Map<String, long[]> requests = counts.takeInterval();
                    Sample sample = new Sample(minute, sampler.sample(), requests);
                    samples.add(sample);
                    SoakTable.row(out, sample);
                    counts.newFailures().forEach(failure -> out.println("  failed: " + failure));
                    if (halfway == null && 2 * next >= settings.length().toNanos()) {
                        halfway = histograms(chain);
                    }
                }
                end = histograms(chain);
            }
            if (halfway != null) {
                printGrowth(out, halfway, end);
            }
            Map<String, Double> openAfter = awaitDrained(sampler);
            Result result = new Result(samples, counts.totals(), counts.failures(), judge(samples), openAfter);
            SoakTable.summary(out, result);
            return result;
        }
    }

    /** Live objects by class in each app, under load: app -> class -> {instances, bytes}. */
    private static Map<String, Map<String, long[]>> histograms(SeparateProcesses chain) throws Exception {
        Map<String, Map<String, long[]>> byApp = new LinkedHashMap<>();
        for (var app : chain.byName.entrySet()) {
            byApp.put(
                    SoakSampler.name(app.getKey()),
                    JvmProbe.histogram(app.getValue().pid()));
        }
        return byApp;
    }

    /**
     * The classes whose live bytes grew most in the judged half, per app: when a series rises,
     * this names what is piling up; when none does, it shows the growth that is only noise.
     */
    private static void printGrowth(
            PrintStream out, Map<String, Map<String, long[]>> halfway, Map<String, Map<String, long[]>> end) {
        out.println();
        out.println("live objects grown most from the half to the end (bytes, instances, class):");
        end.forEach((app, classes) -> {
            out.println("  " + app + ":");
            JvmProbe.growthPer(halfway.get(app), classes, 1, 5).forEach(line -> out.println("    " + line));
        });
    }

    /** Waits up to a minute for the tunnels' streams to close after the load stopped; returns what is open then. */
    private static Map<String, Double> awaitDrained(SoakSampler sampler) throws Exception {
        long until = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        Map<String, Double> open = sampler.streams();
        while (System.nanoTime() < until && (open.get("relay") > 0 || open.get("agent") > 0)) {
            Thread.sleep(250);
            open = sampler.streams();
        }
        return open;
    }

    static Map<String, Map<String, SoakTrend.Judgement>> judge(List<Sample> samples) {
        Map<String, Map<String, SoakTrend.Judgement>> byApp = new LinkedHashMap<>();
        if (samples.isEmpty()) {
            return byApp;
        }
        List<Double> minutes = samples.stream().map(Sample::minute).toList();
        for (String app : samples.get(0).apps().keySet()) {
            Map<String, SoakTrend.Judgement> bySeries = new LinkedHashMap<>();
            for (String series : SoakSampler.SERIES) {
                List<Double> values =
                        samples.stream().map(s -> s.apps().get(app).get(series)).toList();
                bySeries.put(series, SoakTrend.judge(series, minutes, values));
            }
            byApp.put(app, bySeries);
        }
        return byApp;
    }
}
