package dev.clusterconnect.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a benchmark reads from another JVM from the outside: CPU time and resident memory from
 * {@code /proc}, live heap through {@code jcmd} (a full GC first, so the figure is what the
 * process holds, not garbage it has not collected yet).
 */
final class JvmProbe {

    // "garbage-first heap   total 1048576K, used 23456K [...": one line for G1, one per generation
    // for the other collectors, so every such line is added up.
    private static final Pattern HEAP_USED = Pattern.compile("total \\d+K, used (\\d+)K");
    // "   1:        346618       48942712  [B (java.base@17.0.15)": instances, bytes, class name
    private static final Pattern HISTOGRAM_ROW =
            Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)", Pattern.MULTILINE);

    private JvmProbe() {}

    /** Resident memory now, in KiB. */
    static long rssKiB(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    /** Heap in use right after a full GC, in bytes. */
    static long usedHeapAfterFullGc(long pid) throws IOException, InterruptedException {
        jcmd(pid, "GC.run");
        long usedKiB = 0;
        Matcher used = HEAP_USED.matcher(jcmd(pid, "GC.heap_info"));
        while (used.find()) {
            usedKiB += Long.parseLong(used.group(1));
        }
        if (usedKiB == 0) {
            throw new IllegalStateException("no heap figure from jcmd for pid " + pid);
        }
        return usedKiB * 1024;
    }

    /** Live objects by class, after the full GC the histogram runs: name -> {instances, bytes}. */
    static Map<String, long[]> histogram(long pid) throws IOException, InterruptedException {
        Map<String, long[]> byClass = new HashMap<>();
        Matcher row = HISTOGRAM_ROW.matcher(jcmd(pid, "GC.class_histogram"));
        while (row.find()) {
            byClass.put(row.group(3), new long[] {Long.parseLong(row.group(1)), Long.parseLong(row.group(2))});
        }
        return byClass;
    }

    /**
     * The classes whose live bytes grew most from {@code before} to {@code after}, divided by
     * {@code count}: one line each, "bytes per item, instances per item, class".
     */
    static List<String> growthPer(Map<String, long[]> before, Map<String, long[]> after, int count, int top) {
        List<String> lines = new ArrayList<>();
        after.entrySet().stream()
                .sorted(Comparator.comparingLong((Map.Entry<String, long[]> e) -> grown(before, e, 1))
                        .reversed())
                .limit(top)
                .forEach(e -> lines.add(String.format(
                        Locale.ROOT,
                        "%8.1f B %6.2f x %s",
                        grown(before, e, 1) / (double) count,
                        grown(before, e, 0) / (double) count,
                        e.getKey())));
        return lines;
    }

    private static long grown(Map<String, long[]> before, Map.Entry<String, long[]> after, int column) {
        return after.getValue()[column] - before.getOrDefault(after.getKey(), new long[2])[column];
    }

    static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process process = new ProcessBuilder(jcmd.toString(), String.valueOf(pid), command)
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException("jcmd " + command + " failed: " + output);
        }
        return output;
    }
}
