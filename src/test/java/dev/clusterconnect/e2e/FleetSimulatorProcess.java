package dev.clusterconnect.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark's handle on the {@link SimulatedAgentFleet} JVM: sends it a command and waits for
 * its answer. Its output is drained all the time by a reader thread, so a burst of log lines in
 * the simulator can never block it on a full pipe while the benchmark is measuring.
 */
final class FleetSimulatorProcess implements AutoCloseable {

    final Process process;
    private final PrintWriter commands;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();

    private FleetSimulatorProcess(Process process, Path log) throws IOException {
        this.process = process;
        this.commands = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        Writer logWriter = Files.newBufferedWriter(log);
        Thread reader = new Thread(() -> drain(logWriter), "fleet-simulator-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts the simulator with this JVM's class path; {@code args} as {@link SimulatedAgentFleet} takes them. */
    static FleetSimulatorProcess start(String heap, Path log, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap,
                "-XX:+ExitOnOutOfMemoryError",
                "-cp",
                System.getProperty("java.class.path"),
                SimulatedAgentFleet.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectError(log.resolveSibling("fleet-simulator.err").toFile());
        return new FleetSimulatorProcess(builder.start(), log);
    }

    /** Sends a command and returns the words of its answer. */
    String[] ask(String command, Duration timeout) throws InterruptedException {
        commands.println(command);
        String answer = answers.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (answer == null) {
            throw new IllegalStateException("the simulator did not answer '" + command + "' within " + timeout
                    + (process.isAlive() ? "" : " (it exited with " + process.exitValue() + ")"));
        }
        return answer.split(" ");
    }

    private void drain(Writer log) {
        try (BufferedReader output =
                        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                log) {
            for (String line = output.readLine(); line != null; line = output.readLine()) {
                if (line.startsWith(SimulatedAgentFleet.ANSWER)) {
                    answers.add(line.substring(SimulatedAgentFleet.ANSWER.length()));
                } else {
                    log.write(line + "\n");
                }
            }
        } catch (IOException e) {
            // the process ended: nothing more to read
        }
    }

    @Override
    public void close() throws InterruptedException {
        commands.println("quit");
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
