package dev.clusterconnect.e2e;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The one table every benchmark of {@code bin/bench} adds its rows to: direct, chain and their ratio. */
final class BenchTable {

    private static final String SECTION = "\0section";

    private final List<String[]> rows = new ArrayList<>();

    /** A heading for the figures that follow: printed as a line of its own, then their table. */
    synchronized void section(String title) {
        section(title, "direct", "chain");
    }

    /**
     * A heading whose figures compare two other things than direct and chain: {@code first} and
     * {@code second} name the columns (the ratio is second ÷ first); an empty {@code first} for a
     * section of {@link #note}s only.
     */
    synchronized void section(String title, String first, String second) {
        rows.add(new String[] {SECTION, title, first, second});
    }

    /** A figure measured both ways; the ratio is chain ÷ direct. */
    synchronized void compare(String measure, double direct, double chain, String format) {
        rows.add(new String[] {
            measure,
            String.format(Locale.ROOT, format, direct),
            String.format(Locale.ROOT, format, chain),
            direct == 0 || Double.isNaN(direct) ? "" : String.format(Locale.ROOT, "%.2f", chain / direct)
        });
    }

    /** A row made elsewhere: measure, direct, chain, chain/direct. */
    synchronized void add(String[] row) {
        rows.add(row.clone());
    }

    /** A figure of the chain alone. */
    synchronized void note(String measure, String chain) {
        rows.add(new String[] {measure, "", chain, ""});
    }

    /** A figure of the chain alone, against a target, with whether it was met. */
    synchronized void target(String measure, String chain, String target, boolean met) {
        rows.add(new String[] {measure, "", chain, (met ? "met: " : "MISSED: ") + target});
    }

    synchronized List<String[]> rows() {
        return List.copyOf(rows);
    }

    synchronized void print(PrintStream out) {
        int width = rows.stream()
                .filter(row -> row[0] != SECTION)
                .mapToInt(row -> row[0].length())
                .max()
                .orElse(10);
        String format = "| %-" + width + "s | %12s | %22s | %12s |%n";
        boolean header = false;
        String[] columns = {"direct", "chain"};
        for (String[] row : rows) {
            if (row[0] == SECTION) {
                out.printf("%n%s%n%n", row[1]);
                columns = new String[] {row[2], row[3]};
                header = false;
                continue;
            }
            if (!header) {
                out.printf(
                        format,
                        "measure",
                        columns[0],
                        columns[1],
                        columns[0].isEmpty() ? "" : columns[1] + "/" + columns[0]);
                out.printf(format, "-".repeat(width), "-".repeat(12), "-".repeat(22), "-".repeat(12));
                header = true;
            }
            out.printf(format, (Object[]) row);
        }
    }
}
