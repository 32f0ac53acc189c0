package dev.clusterconnect.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** The real kubectl binary, run against a kubeconfig. */
final class Kubectl {

    static final String DEFAULT = "/usr/bin/kubectl";
    static final Path SDK = Path.of("/usr/lib/google-cloud-sdk/bin");

    private final String binary;
    private final Path kubeconfig;
    private final Map<String, String> env = new HashMap<>();

    Kubectl(String binary, Path kubeconfig) {
        this.binary = binary;
        this.kubeconfig = kubeconfig;
    }

    /** kubectl of a given minor version from the Cloud SDK folder, e.g. 29. */
    static String version(int minor) {
        return SDK.resolve("kubectl.1." + minor).toString();
    }

    static boolean available(String binary) {
        return Files.isExecutable(Path.of(binary));
    }

    /** A copy that runs with {@code key} set to {@code value} (null: removed from the environment). */
    Kubectl withEnv(String key, String value) {
        Kubectl copy = new Kubectl(binary, kubeconfig);
        copy.env.putAll(env);
        copy.env.put(key, value);
        return copy;
    }

    /** Runs to completion with stdin; fails the test on timeout. */
    Result run(byte[] stdin, String... args) throws IOException, InterruptedException {
        Process process = builder(args).start();
        if (stdin != null) {
            process.getOutputStream().write(stdin);
        }
        process.getOutputStream().close();
        var out = process.getInputStream().readAllBytes();
        var err = process.getErrorStream().readAllBytes();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("kubectl " + String.join(" ", args) + " timed out");
        }
        return new Result(
                process.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    Result run(String... args) throws IOException, InterruptedException {
        return run(null, args);
    }

    /** Starts a long-running kubectl (watch, logs -f, port-forward) whose lines can be awaited. */
    Running start(String... args) throws IOException {
        Process process = builder(args).start();
        return new Running(process);
    }

    private ProcessBuilder builder(String... args) {
        List<String> command = new ArrayList<>();
        command.add(binary);
        command.add("--kubeconfig=" + kubeconfig);
        command.add("--request-timeout=60s");
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("KUBECONFIG");
        env.forEach((key, value) -> {
            if (value == null) {
                builder.environment().remove(key);
            } else {
                builder.environment().put(key, value);
            }
        });
        return builder;
    }

    record Result(int exit, String out, String err) {
        Result ok() {
            if (exit != 0) {
                throw new AssertionError("kubectl failed (" + exit + "): " + err + out);
            }
            return this;
        }
    }

    /** A kubectl process whose stdout lines are collected as they arrive. */
    static final class Running implements AutoCloseable {
        private final Process process;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final StringBuilder stderr = new StringBuilder();

        Running(Process process) {
            this.process = process;
            Thread.ofVirtualOrPlatform(() -> pump(process.getInputStream(), lines, null));
            Thread.ofVirtualOrPlatform(() -> pump(process.getErrorStream(), null, stderr));
        }

        private static void pump(java.io.InputStream in, BlockingQueue<String> into, StringBuilder text) {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (into != null) {
                        into.add(line);
                    } else {
                        synchronized (text) {
                            text.append(line).append('\n');
                        }
                    }
                }
            } catch (IOException closed) {
                // the process ended
            }
        }

        /** The next line containing {@code text}, skipping others; fails after the timeout. */
        String awaitLine(String text, Duration timeout) throws InterruptedException {
            long until = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < until) {
                String line = lines.poll(Math.max(1, until - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line != null && line.contains(text)) {
                    return line;
                }
            }
            throw new AssertionError("no line with '" + text + "' within " + timeout + "; stderr: " + stderr());
        }

        String stderr() {
            synchronized (stderr) {
                return stderr.toString();
            }
        }

        /** Types {@code text} on the process's standard input. */
        void write(String text) throws IOException {
            process.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().flush();
        }

        boolean isAlive() {
            return process.isAlive();
        }

        /** kubectl's exit code; only once it exited. */
        int exitValue() {
            return process.exitValue();
        }

        /** Waits for kubectl to exit by itself; false if it still runs after the timeout. */
        boolean awaitExit(Duration timeout) throws InterruptedException {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** Platform threads (Java 17 has no virtual threads), daemon so a stuck pipe never blocks the JVM. */
    private static final class Thread {
        static void ofVirtualOrPlatform(Runnable task) {
            java.lang.Thread thread = new java.lang.Thread(task, "kubectl-pipe");
            thread.setDaemon(true);
            thread.start();
        }
    }
}
