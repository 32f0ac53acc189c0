package dev.clusterconnect.e2e;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Event latencies in microseconds, recorded from several I/O threads into one preallocated array
 * (no allocation, no lock per event), summarised once at the end.
 */
final class Latencies {

    private final long[] micros;
    private final AtomicInteger next = new AtomicInteger();
    /** Counted after the write, so a reader that sees the count sees the values too. */
    private final AtomicInteger written = new AtomicInteger();

    Latencies(int capacity) {
        micros = new long[capacity];
    }

    void add(long value) {
        int at = next.getAndIncrement();
        if (at < micros.length) {
            micros[at] = value;
        }
        written.incrementAndGet();
    }

    /** Events recorded, including any beyond the capacity (those have no latency kept). */
    int count() {
        return written.get();
    }

    /** {@code <count> <p50> <p99> <max>}, latencies in microseconds. */
    String summary() {
        int count = written.get();
        int kept = Math.min(count, micros.length);
        if (kept == 0) {
            return count + " -1 -1 -1";
        }
        long[] sorted = Arrays.copyOf(micros, kept);
        Arrays.sort(sorted);
        return String.format(
                Locale.ROOT, "%d %d %d %d", count, percentile(sorted, 50), percentile(sorted, 99), sorted[kept - 1]);
    }

    private static long percentile(long[] sorted, int percentile) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1)];
    }
}
