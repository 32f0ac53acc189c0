package dev.clusterconnect.e2e;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Issue 7's targets, judged from the rows the benchmarks measured in this run: each is met or
 * MISSED in the table itself, and a target whose figure was not measured says so.
 */
final class BenchTargets {

    private BenchTargets() {}

    static void judge(BenchTable table) {
        List<String[]> rows = table.rows();
        table.section("targets (issue 7)");
        ratio(
                table,
                rows,
                "small GET c16 req/s",
                "small GET c16 req/s chain/direct",
                ">= 0.69 (ssh -R over the same path)",
                value -> value >= 0.69);
        ratio(
                table,
                rows,
                "100 MB LIST s (median of 3)",
                "100 MB LIST chain/direct",
                "<= 1.10",
                value -> value <= 1.10);
        double growth = rows.stream()
                .filter(row -> row[0].endsWith("peak RSS growth MiB"))
                .mapToDouble(row -> Double.parseDouble(row[2].split(" ")[0]))
                .max()
                .orElse(Double.NaN);
        judge(table, "largest RSS growth of an app during the LIST, MiB", growth, "<= 64", growth <= 64, "%.0f");
        ratio(
                table,
                rows,
                "LIST alone (direct column) vs beside a stalled watch, both chained, s",
                "LIST beside a stalled watch / alone",
                "<= 1.10",
                value -> value <= 1.10);
        Optional<Double> p99 = chain(rows, "10,000 watches event p99 ms");
        judge(
                table,
                "10,000 watches event p99 ms",
                p99.orElse(Double.NaN),
                "< 100",
                p99.map(v -> v < 100).orElse(false),
                "%.2f");
        Optional<Double> heap = chain(rows, "relay heap after GC, 10,000 tunnels MiB");
        judge(
                table,
                "10,000 idle agents: relay heap MiB",
                heap.orElse(Double.NaN),
                "< 1024",
                heap.map(v -> v < 1024).orElse(false),
                "%.1f");
    }

    private static void ratio(
            BenchTable table,
            List<String[]> rows,
            String measure,
            String name,
            String target,
            java.util.function.DoublePredicate met) {
        Optional<Double> ratio = rows.stream()
                .filter(row -> row[0].equals(measure) && !row[3].isEmpty())
                .map(row -> Double.parseDouble(row[3]))
                .findFirst();
        judge(
                table,
                name,
                ratio.orElse(Double.NaN),
                target,
                ratio.map(met::test).orElse(false),
                "%.2f");
    }

    private static Optional<Double> chain(List<String[]> rows, String measure) {
        return rows.stream()
                .filter(row -> row[0].equals(measure))
                .map(row -> row[2].trim().split(" ")[0])
                .filter(value -> value.matches("[0-9.]+"))
                .map(Double::valueOf)
                .findFirst();
    }

    private static void judge(BenchTable table, String name, double value, String target, boolean met, String format) {
        if (Double.isNaN(value)) {
            table.note(name, "not measured in this run (target " + target + ")");
        } else {
            table.target(name, String.format(Locale.ROOT, format, value), target, met);
        }
    }
}
