package dev.clusterconnect.e2e;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/** The soak's output as Markdown tables, printed as it goes, ready to paste into docs/benchmarks.md. */
final class SoakTable {

    private static final String[] APPS = {"relay", "agent", "proxy"};

    private SoakTable() {}

    static void header(PrintStream out) {
        StringJoiner head = new StringJoiner(" | ", "| ", " |");
        StringJoiner rule = new StringJoiner(" | ", "| ", " |");
        head.add("min");
        rule.add("--:");
        for (String app : APPS) {
            head.add(app + " heap MiB / thr / fd / str");
            rule.add("--:");
        }
        for (String kind : SoakCounts.KINDS) {
            head.add(kind + " ok/fail");
            rule.add("--:");
        }
        out.println(head);
        out.println(rule);
    }

    static void row(PrintStream out, Soak.Sample sample) {
        StringJoiner row = new StringJoiner(" | ", "| ", " |");
        row.add(String.format(Locale.ROOT, "%.1f", sample.minute()));
        for (String app : APPS) {
            Map<String, Double> values = sample.apps().get(app);
            row.add(String.format(
                    Locale.ROOT,
                    "%.1f / %.0f / %.0f / %.0f",
                    values.get("heap MiB"),
                    values.get("threads"),
                    values.get("fds"),
                    values.get("streams")));
        }
        for (String kind : SoakCounts.KINDS) {
            long[] counts = sample.requests().get(kind);
            row.add(counts[0] + "/" + counts[1]);
        }
        out.println(row);
        out.flush();
    }

    static void summary(PrintStream out, Soak.Result result) {
        out.println();
        StringJoiner totals = new StringJoiner(", ", "requests in all (ok/failed): ", "");
        result.totals().forEach((kind, counts) -> totals.add(kind + " " + counts[0] + "/" + counts[1]));
        out.println(totals);
        result.failures().forEach(failure -> out.println("  failed: " + failure));
        out.println("open once the load stopped (relay and agent: tunnel streams, proxy: client connections): "
                + result.openAfterLoad());
        out.println();
        out.println("| app | series | verdict |");
        out.println("| --- | --- | --- |");
        result.judgements()
                .forEach((app, bySeries) -> bySeries.forEach((series, judgement) ->
                        out.printf(Locale.ROOT, "| %s | %s | %s |%n", app, series, judgement.describe())));
        out.println();
        out.printf(Locale.ROOT, "verdict: %s%n", verdict(result));
        out.flush();
    }

    static String verdict(Soak.Result result) {
        StringJoiner problems = new StringJoiner("; ");
        if (result.failed() > 0) {
            problems.add(result.failed() + " requests failed");
        }
        if (result.rising()) {
            problems.add("a series rises");
        }
        if (result.tunnelStreamsLeft()) {
            problems.add("tunnel streams left open after the load");
        }
        return problems.length() == 0
                ? "PASS (no request failed, every series flat, no stream left open)"
                : "FAIL (" + problems + ")";
    }
}
