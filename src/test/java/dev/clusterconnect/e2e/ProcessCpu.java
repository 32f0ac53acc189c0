package dev.clusterconnect.e2e;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time used by a set of named processes, without their JIT compiler threads ({@link CpuTime}).
 * On a shared machine wall-clock figures depend on what else runs; the CPU a phase cost each
 * process does not.
 */
final class ProcessCpu {

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
            used.put(entry.getKey(), CpuTime.withoutJit(entry.getValue()) / 1e9);
        }
        return used;
    }

    /** What each process used between two readings. */
    static Map<String, Double> between(Map<String, Double> before, Map<String, Double> after) {
        Map<String, Double> used = new LinkedHashMap<>();
        after.forEach((name, seconds) -> used.put(name, seconds - before.getOrDefault(name, 0.0)));
        return used;
    }
}
