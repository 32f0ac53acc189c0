package dev.clusterconnect.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The CPU time a JVM has used so far, user plus system, from {@code /proc/<pid>/task/<tid>/stat},
 * leaving out the JIT compiler threads: on a busy machine the JIT is still compiling long after a
 * warm-up, and its work is not what a request costs. For figures of CPU per operation in JVMs this
 * one did not start with an agent or a profiler. Linux only; the kernel counts in ticks of 10 ms
 * (USER_HZ 100), so measure over seconds.
 */
final class CpuTime {

    private static final long NANOS_PER_TICK = 10_000_000L;

    private CpuTime() {}

    /** CPU nanoseconds of every thread of {@code pid} but the compiler threads (C1, C2), so far. */
    static long withoutJit(long pid) throws IOException {
        try (Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
            return tasks.mapToLong(CpuTime::unlessCompiler).sum();
        }
    }

    static long ofThisProcess() throws IOException {
        return withoutJit(ProcessHandle.current().pid());
    }

    private static long unlessCompiler(Path task) {
        try {
            String stat = Files.readString(task.resolve("stat"));
            // the thread name, in parentheses, may contain spaces: count fields after its closing one
            String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
            if (name.contains("CompilerThre")) {
                return 0;
            }
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * NANOS_PER_TICK;
        } catch (NoSuchFileException threadEnded) {
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
