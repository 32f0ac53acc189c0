package dev.clusterconnect.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time used by processes (user + system, from {@code /proc/<pid>/stat}). On a shared machine
 * wall-clock figures depend on what else runs; the CPU a phase cost each process does not.
 */
final class ProcessCpu {

    /** Linux reports utime and stime in clock ticks, 100 per second on every common kernel. */
    private static final double TICKS_PER_SECOND = 100.0;

    private final Map<String, Long> pids = new LinkedHashMap<>();

    /** Adds a process to watch, under a short name. */
    ProcessCpu with(String name, long pid) {
        pids.put(name, pid);
        return this;
    }

    /** CPU seconds used so far by each process. */
    Map<String, Double> seconds() throws IOException {
        Map<String, Double> used = new LinkedHashMap<>();
        for (Map.Entry<String, Long> entry : pids.entrySet()) {
            used.put(entry.getKey(), ticks(entry.getValue()) / TICKS_PER_SECOND);
        }
        return used;
    }

    /** What each process used between two readings. */
    static Map<String, Double> between(Map<String, Double> before, Map<String, Double> after) {
        Map<String, Double> used = new LinkedHashMap<>();
        after.forEach((name, seconds) -> used.put(name, seconds - before.getOrDefault(name, 0.0)));
        return used;
    }

    private static long ticks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
        // the command name in parentheses may contain spaces: count fields after its closing one
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}
