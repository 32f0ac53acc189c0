package dev.clusterconnect.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The live heap of another JVM: a full GC through {@code jcmd GC.run}, then the used heap from
 * {@code jcmd GC.heap_info}. What is left after a full GC is what the process really holds.
 */
final class HeapProbe {

    /** A heap line: "garbage-first heap   total 131072K, used 45678K [...]" (one line per generation for other GCs). */
    private static final Pattern HEAP_LINE = Pattern.compile("^\\s*(\\S.*?)\\s+total \\d+K, used (\\d+)K");

    private HeapProbe() {
    }

    /** Used heap in bytes after a full GC. */
    static long usedAfterFullGc(Process process) throws IOException, InterruptedException {
        jcmd(process, "GC.run");
        long usedKiB = 0;
        for (String line : jcmd(process, "GC.heap_info").split("\n")) {
            Matcher heap = HEAP_LINE.matcher(line);
            if (heap.find() && !heap.group(1).startsWith("Metaspace") && !heap.group(1).startsWith("class space")) {
                usedKiB += Long.parseLong(heap.group(2));
            }
        }
        if (usedKiB == 0) {
            throw new IllegalStateException("no heap figure from jcmd for pid " + process.pid());
        }
        return usedKiB * 1024;
    }

    private static String jcmd(Process process, String command) throws IOException, InterruptedException {
        if (!process.isAlive()) {
            throw new IllegalStateException("process " + process.pid() + " has exited (" + process.exitValue() + ")");
        }
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(process.pid()), command).redirectErrorStream(true).start();
        String output = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!jcmd.waitFor(60, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + command + " failed: " + output);
        }
        return output;
    }
}
