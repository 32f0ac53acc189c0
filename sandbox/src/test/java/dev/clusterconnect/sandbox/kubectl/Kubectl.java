package dev.clusterconnect.sandbox.kubectl;

import dev.clusterconnect.sandbox.SandboxApiServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a real kubectl binary against a sandbox, through a kubeconfig written for it. */
public final class Kubectl {

    /** The kubectl on the PATH of the machine (1.32). */
    public static final Path DEFAULT = Path.of("/usr/bin/kubectl");

    /** Generous: a kubectl call normally takes well under a second. */
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Path binary;
    private final Path kubeconfig;
    private final Map<String, String> env;

    private Kubectl(Path binary, Path kubeconfig, Map<String, String> env) {
        this.binary = binary;
        this.kubeconfig = kubeconfig;
        this.env = Map.copyOf(env);
    }

    /** A kubectl using {@code token} against {@code server}, with its kubeconfig in {@code dir}. */
    public static Kubectl forServer(SandboxApiServer server, String token, Path dir) {
        Path kubeconfig = dir.resolve("kubeconfig-" + Integer.toHexString(token.hashCode()));
        String ca = server.caCertificatePem() == null
                ? ""
                : "    certificate-authority-data: "
                        + Base64.getEncoder()
                                .encodeToString(server.caCertificatePem().getBytes(StandardCharsets.US_ASCII))
                        + "\n";
        String config = "apiVersion: v1\nkind: Config\nclusters:\n- name: sandbox\n  cluster:\n    server: "
                + server.url()
                + "\n" + ca + "users:\n- name: user\n  user:\n    token: " + token + "\ncontexts:\n- name: sandbox\n"
                + "  context: {cluster: sandbox, user: user, namespace: default}\ncurrent-context: sandbox\n";
        try {
            Files.writeString(kubeconfig, config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Kubectl(DEFAULT, kubeconfig, Map.of());
    }

    /** The same, run with another binary, e.g. {@code version("1.29")}. */
    public Kubectl version(String version) {
        return new Kubectl(Path.of("/usr/lib/google-cloud-sdk/bin/kubectl." + version), kubeconfig, env);
    }

    /** The same, with an environment variable set. */
    public Kubectl withEnv(String name, String value) {
        Map<String, String> more = new HashMap<>(env);
        more.put(name, value);
        return new Kubectl(binary, kubeconfig, more);
    }

    /** The same, with exec, attach and cp forced onto SPDY. */
    public Kubectl spdyRemoteCommand() {
        return withEnv("KUBECTL_REMOTE_COMMAND_WEBSOCKETS", "false");
    }

    /** Runs kubectl with empty stdin and waits for it. */
    public Result run(String... args) {
        return run(new byte[0], args);
    }

    /** Runs kubectl with the given stdin and waits for it; kills it after the timeout. */
    public Result run(byte[] stdin, String... args) {
        Process process = start(args);
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
        try (OutputStream in = process.getOutputStream()) {
            in.write(stdin);
        } catch (IOException e) {
            // kubectl may exit before reading its input
        }
        try {
            if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("kubectl " + List.of(args) + " did not finish in " + TIMEOUT);
            }
            return new Result(process.exitValue(), out.get(), err.get());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new AssertionError(e);
        }
    }

    /** Starts a long-running kubectl (watch, logs -f, port-forward) whose output is read line by line. */
    public Running background(String... args) {
        return new Running(start(args));
    }

    private Process start(String... args) {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.add("--kubeconfig=" + kubeconfig);
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        builder.environment().remove("KUBECONFIG");
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] readAll(java.io.InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * What a finished kubectl left.
     *
     * @param exitCode exit code
     * @param out standard output
     * @param err standard error
     */
    public record Result(int exitCode, byte[] out, byte[] err) {
        /** Standard output as text. */
        public String stdout() {
            return new String(out, StandardCharsets.UTF_8);
        }

        /** Standard error as text. */
        public String stderr() {
            return new String(err, StandardCharsets.UTF_8);
        }

        /** Fails unless kubectl exited 0, showing its error output. */
        public Result ok() {
            if (exitCode != 0) {
                throw new AssertionError("kubectl exited " + exitCode + ": " + stderr() + stdout());
            }
            return this;
        }
    }

    /** A kubectl still running; closing it kills it. */
    public static final class Running implements AutoCloseable {
        private final Process process;
        private final List<String> lines = new ArrayList<>();
        private final Thread reader;

        Running(Process process) {
            this.process = process;
            this.reader = new Thread(this::read, "kubectl-output");
            reader.setDaemon(true);
            reader.start();
        }

        /** The lines printed so far on stdout. */
        public synchronized List<String> lines() {
            return List.copyOf(lines);
        }

        /** Whether the process is still running. */
        public boolean isAlive() {
            return process.isAlive();
        }

        /** Writes to kubectl's stdin. */
        public void write(String text) throws IOException {
            process.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().flush();
        }

        /** Waits for the process to end by itself and answers its exit code. */
        public int awaitExit(Duration timeout) throws InterruptedException {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("kubectl still running after " + timeout);
            }
            return process.exitValue();
        }

        /** The standard error so far; only meaningful after the process ended. */
        public String stderr() throws IOException {
            return new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        }

        private void read() {
            try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    synchronized (this) {
                        lines.add(line);
                    }
                }
            } catch (IOException e) {
                // the process was killed
            }
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
