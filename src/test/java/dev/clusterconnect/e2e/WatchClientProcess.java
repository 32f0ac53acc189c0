package dev.clusterconnect.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@link WatchClients} in a JVM of its own, so the load generator does not share CPU, heap or file
 * descriptors with the sandbox apiserver of the benchmark's JVM. Its standard streams are the
 * control channel.
 */
final class WatchClientProcess implements AutoCloseable {

    /** What the watch clients saw: event latencies in microseconds. */
    record Result(int received, long p50Micros, long p99Micros, long maxMicros, int closedEarly) {}

    /** How the opening went. */
    record Opened(int ok, int failed, double seconds, double cpuSeconds) {}

    private final Process process;
    private final BufferedReader out;
    private final Writer in;
    private final Path log;

    private WatchClientProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    }

    /**
     * Starts the generator JVM. {@code -Dwatch.clients.jvm-options} adds JVM options, e.g.
     * {@code -XX:StartFlightRecording=filename=/tmp/} to profile it.
     */
    static WatchClientProcess start(Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g",
                "-XX:+ExitOnOutOfMemoryError"));
        String extra = System.getProperty("watch.clients.jvm-options", "").trim();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), WatchClients.class.getName()));
        return new WatchClientProcess(
                new ProcessBuilder(command).redirectError(log.toFile()).start(), log);
    }

    long pid() {
        return process.pid();
    }

    /**
     * Opens the watches and waits until every one has its response head (or failed).
     *
     * @param base {@code https://host:port} of the apiserver, or of the relay with {@code /clusters/<id>}
     */
    Opened open(String base, Path tokenFile, Path caFile, int watches, String namespacePrefix, int expectedEvents)
            throws IOException {
        String[] fields = call(
                String.join(
                        " ",
                        "OPEN",
                        base,
                        tokenFile.toString(),
                        caFile.toString(),
                        String.valueOf(watches),
                        namespacePrefix,
                        String.valueOf(expectedEvents)),
                "OPENED");
        return new Opened(
                Integer.parseInt(fields[1]),
                Integer.parseInt(fields[2]),
                Double.parseDouble(fields[3]),
                Double.parseDouble(fields[4]));
    }

    /** Waits for the expected events (or until none has come for a while) and returns the figures. */
    Result result(int expectedEvents) throws IOException {
        String[] fields = call("RESULT " + expectedEvents, "RESULT");
        return new Result(
                Integer.parseInt(fields[1]),
                Long.parseLong(fields[2]),
                Long.parseLong(fields[3]),
                Long.parseLong(fields[4]),
                Integer.parseInt(fields[5]));
    }

    /** Closes the open watches; the generator stays for the next batch. */
    void closeWatches() throws IOException {
        call("CLOSE", "CLOSED");
    }

    private String[] call(String command, String answer) throws IOException {
        in.write(command + "\n");
        in.flush();
        String line;
        while ((line = out.readLine()) != null) {
            if (line.equals(answer) || line.startsWith(answer + " ")) {
                return line.split(" ");
            }
        }
        throw new IllegalStateException("watch clients exited (" + exitValue() + ") before " + answer + "; log: "
                + (Files.exists(log) ? Files.readString(log) : "none"));
    }

    private String exitValue() {
        try {
            return process.waitFor(5, TimeUnit.SECONDS) ? String.valueOf(process.exitValue()) : "still running";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** End of input: the generator closes what is open and exits. */
    @Override
    public void close() throws IOException, InterruptedException {
        try {
            in.close();
        } catch (IOException alreadyGone) {
            // the generator exited on its own
        }
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
