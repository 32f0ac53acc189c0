package dev.clusterconnect.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time of named processes without their JIT compiler threads, as {@link ProcessCpu} and
 * {@link CpuTime} measure it, but counting the threads that have ended too. CpuTime adds up the
 * threads alive at the moment of reading, so a thread that ends between two readings takes its
 * whole CPU time out of the second one: measured, over an idle minute of 10,000 tunnels each relay
 * replica came out at -19 % of a core (pool threads of the connect phase ending). Here the
 * process's own total ({@code /proc/<pid>/stat}, which keeps what its ended threads used) minus
 * what the live compiler threads used. (HotSpot ends idle compiler threads too; one that ends
 * inside a window leaves its last stretch counted, a far smaller error than losing a pool.)
 */
final class ReplicaBenchCpu {

    private static final long NANOS_PER_TICK = 10_000_000L; // USER_HZ 100

    private final Map<String, Long> pids = new LinkedHashMap<>();

    ReplicaBenchCpu with(String name, long pid) {
        pids.put(name, pid);
        return this;
    }

    /** CPU seconds used so far by each process; a process that has exited reads 0. */
    Map<String, Double> seconds() {
        Map<String, Double> used = new LinkedHashMap<>();
        pids.forEach((name, pid) -> used.put(name, nanos(pid) / 1e9));
        return used;
    }

    /** CPU nanoseconds the process used so far, but its live compiler threads' (C1, C2); 0 once it has exited. */
    static long nanos(long pid) {
        Path proc = Path.of("/proc", String.valueOf(pid));
        try {
            long total = ticks(Files.readString(proc.resolve("stat")));
            long compilers = 0;
            try (Stream<Path> tasks = Files.list(proc.resolve("task"))) {
                for (Path task : tasks.toList()) {
                    try {
                        String stat = Files.readString(task.resolve("stat"));
                        if (stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
                                .contains("CompilerThre")) {
                            compilers += ticks(stat);
                        }
                    } catch (IOException threadEnded) {
                        // its time stays in the process total: nothing to subtract
                    }
                }
            }
            return (total - compilers) * NANOS_PER_TICK;
        } catch (IOException exited) {
            return 0;
        }
    }

    /** utime + stime of a stat line: fields 14 and 15, counted after the name's closing parenthesis. */
    private static long ticks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}
