package dev.clusterconnect.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What one path (direct or chain) measured with N watches, and the table rows comparing two of
 * them.
 *
 * @param heapBefore used heap after a full GC per app before the watches opened (chain only)
 * @param heapOpen the same while the watches were open and idle
 * @param openCpu CPU seconds per process while the watches opened
 * @param eventCpu CPU seconds per process while the events were written and read
 */
record WatchPhase(
        int watches,
        WatchClientProcess.Opened opened,
        WatchClientProcess.Result result,
        int written,
        double writeSeconds,
        Map<String, Long> heapBefore,
        Map<String, Long> heapOpen,
        Map<String, Double> openCpu,
        Map<String, Double> eventCpu) {

    /** The rows for one N: {@code measure, direct, chain, chain/direct}. */
    static List<String[]> rows(WatchPhase direct, WatchPhase chain) {
        String name = String.format(Locale.ROOT, "%,d watches ", chain.watches);
        List<String[]> rows = new ArrayList<>();
        rows.add(row(name + "all open s", direct.opened.seconds(), chain.opened.seconds(), "%.1f"));
        rows.add(
                row(name + "open CPU ms/watch", direct.openCpuMillisPerWatch(), chain.openCpuMillisPerWatch(), "%.2f"));
        rows.add(new String[] {
            "  by process",
            breakdown(direct.openCpu, 1e3 / direct.watches),
            breakdown(chain.openCpu, 1e3 / chain.watches),
            ""
        });
        rows.add(row(name + "event p50 ms", direct.result.p50Micros() / 1e3, chain.result.p50Micros() / 1e3, "%.2f"));
        rows.add(row(name + "event p99 ms", direct.result.p99Micros() / 1e3, chain.result.p99Micros() / 1e3, "%.2f"));
        rows.add(row(name + "event max ms", direct.result.maxMicros() / 1e3, chain.result.maxMicros() / 1e3, "%.2f"));
        rows.add(new String[] {name + "events read/written", direct.delivery(), chain.delivery(), ""});
        rows.add(row(
                name + "event CPU us/event", direct.eventCpuMicrosPerEvent(), chain.eventCpuMicrosPerEvent(), "%.0f"));
        rows.add(new String[] {
            "  by process",
            breakdown(direct.eventCpu, 1e6 / direct.written),
            breakdown(chain.eventCpu, 1e6 / chain.written),
            ""
        });
        for (String app : List.of("relay-app", "agent-app")) {
            rows.add(new String[] {app + " heap KiB/idle watch", "", chain.heapPerWatch(app), ""});
        }
        return rows;
    }

    /** The direct column alone, for when the chain failed. */
    static List<String[]> directRows(WatchPhase direct) {
        String name = String.format(Locale.ROOT, "%,d watches ", direct.watches);
        return List.of(
                new String[] {
                    name + "all open s", String.format(Locale.ROOT, "%.1f", direct.opened.seconds()), "failed", ""
                },
                new String[] {
                    name + "event p50 ms", String.format(Locale.ROOT, "%.2f", direct.result.p50Micros() / 1e3), "", ""
                },
                new String[] {
                    name + "event p99 ms", String.format(Locale.ROOT, "%.2f", direct.result.p99Micros() / 1e3), "", ""
                },
                new String[] {
                    name + "event max ms", String.format(Locale.ROOT, "%.2f", direct.result.maxMicros() / 1e3), "", ""
                },
                new String[] {name + "events read/written", direct.delivery(), "", ""});
    }

    private double openCpuMillisPerWatch() {
        return total(openCpu) * 1e3 / watches;
    }

    private double eventCpuMicrosPerEvent() {
        return total(eventCpu) * 1e6 / written;
    }

    private static double total(Map<String, Double> cpu) {
        return cpu.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    private static String breakdown(Map<String, Double> cpu, double scale) {
        return cpu.entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%s %.1f", e.getKey(), e.getValue() * scale))
                .collect(Collectors.joining(", "));
    }

    private String delivery() {
        String text = result.received() + "/" + written;
        if (opened.failed() > 0) {
            text += ", " + opened.failed() + " refused";
        }
        if (result.closedEarly() > 0) {
            text += ", " + result.closedEarly() + " cut";
        }
        return String.format(Locale.ROOT, "%s in %.1f s", text, writeSeconds);
    }

    private String heapPerWatch(String app) {
        long before = heapBefore.get(app);
        long open = heapOpen.get(app);
        return String.format(
                Locale.ROOT,
                "%.1f (%.1f -> %.1f MiB)",
                (open - before) / 1024.0 / watches,
                before / 1048576.0,
                open / 1048576.0);
    }

    private static String[] row(String name, double direct, double chained, String format) {
        return new String[] {
            name,
            String.format(Locale.ROOT, format, direct),
            String.format(Locale.ROOT, format, chained),
            direct <= 0 ? "" : String.format(Locale.ROOT, "%.2f", chained / direct)
        };
    }
}
