package dev.clusterconnect.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@code wrk} (Debian's package; {@code bin/bench} installs it) as the load generator: a
 * separate process in C, so the JVMs under test do not share a heap, a JIT or a garbage collector
 * with the load. Keep-alive HTTPS, closed loop, one connection per unit of concurrency.
 */
final class Wrk {

    private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern COUNT = Pattern.compile("(\\d+) requests in");
    private static final Pattern PERCENTILE =
            Pattern.compile("^\\s+(50|99)%\\s+([0-9.]+)(us|ms|s)\\s*$", Pattern.MULTILINE);
    private static final Pattern ERRORS = Pattern.compile(
            "Non-2xx or 3xx responses: (\\d+)|Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

    /** What one run measured. */
    record Result(double perSecond, long requests, double p50Millis, double p99Millis, long errors) {}

    private Wrk() {}

    static boolean available() {
        try {
            return new ProcessBuilder("wrk", "--version")
                            .redirectErrorStream(true)
                            .start()
                            .waitFor()
                    <= 1;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static Result run(String url, String token, int connections, Duration length)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                "wrk",
                "-t",
                String.valueOf(Math.min(2, connections)),
                "-c",
                String.valueOf(connections),
                "-d",
                length.toSeconds() + "s",
                "--latency",
                "--timeout",
                "10s",
                "-H",
                "Authorization: Bearer " + token,
                url));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException("wrk failed: " + output);
        }
        return parse(output);
    }

    static Result parse(String output) {
        double rate = Double.parseDouble(find(RATE, output));
        long count = Long.parseLong(find(COUNT, output));
        double p50 = Double.NaN;
        double p99 = Double.NaN;
        Matcher percentile = PERCENTILE.matcher(output);
        while (percentile.find()) {
            double value = millis(Double.parseDouble(percentile.group(2)), percentile.group(3));
            if (percentile.group(1).equals("50")) {
                p50 = value;
            } else {
                p99 = value;
            }
        }
        long errors = 0;
        Matcher error = ERRORS.matcher(output);
        while (error.find()) {
            for (int group = 1; group <= error.groupCount(); group++) {
                if (error.group(group) != null) {
                    errors += Long.parseLong(error.group(group));
                }
            }
        }
        return new Result(rate, count, p50, p99, errors);
    }

    private static double millis(double value, String unit) {
        return switch (unit) {
            case "us" -> value / 1000;
            case "s" -> value * 1000;
            default -> value;
        };
    }

    private static String find(Pattern pattern, String output) {
        Matcher matcher = pattern.matcher(output);
        if (!matcher.find()) {
            throw new IllegalStateException("unexpected wrk output: " + output);
        }
        return matcher.group(1);
    }
}
