package dev.clusterconnect.proxy.token;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A token printed by a command, e.g. {@code az account get-access-token --query accessToken -o
 * tsv} or {@code gcloud auth print-identity-token}. Standard output, trimmed, is the token; on
 * failure the command's standard error is reported (with the token, if it leaked there, blanked
 * out), standard output never is.
 */
public final class CommandTokenSource implements TokenSource {

    // enough for any CLI's error message, small enough to keep a runaway command from filling memory
    private static final int MAX_ERROR_CHARS = 4000;

    private final List<String> command;
    private final Duration timeout;

    /**
     * @param command the program and its arguments, run without a shell
     * @param timeout how long to wait before killing it
     */
    public CommandTokenSource(List<String> command, Duration timeout) {
        this.command = List.copyOf(command);
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (this.command.isEmpty()) {
            throw new IllegalArgumentException("command must not be empty");
        }
    }

    @Override
    public Token token() {
        Process process = start();
        CompletableFuture<String> stdout = drain(process.getInputStream());
        CompletableFuture<String> stderr = drain(process.getErrorStream());
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(process);
                throw new TokenException(program() + " did not print a token within " + timeout.toSeconds() + "s");
            }
            String token = stdout.get().trim();
            if (process.exitValue() != 0) {
                throw new TokenException(
                        program() + " failed with exit code " + process.exitValue() + errorOutput(stderr.get(), token));
            }
            if (token.isEmpty()) {
                throw new TokenException(program() + " printed no token" + errorOutput(stderr.get(), token));
            }
            return Token.of(token);
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            throw new TokenException("interrupted while waiting for " + program());
        } catch (ExecutionException e) {
            throw new TokenException("cannot read the output of " + program(), e.getCause());
        }
    }

    private Process start() {
        try {
            Process process = new ProcessBuilder(command).start();
            // the token command must not wait for input: kubectl owns the terminal
            process.getOutputStream().close();
            return process;
        } catch (IOException e) {
            throw new TokenException("cannot run " + program() + ": " + e.getMessage(), e);
        }
    }

    /** Only the program name: arguments may hold secrets such as a client secret. */
    private String program() {
        return "token command '" + command.get(0) + "'";
    }

    private static String errorOutput(String stderr, String token) {
        String shown = token.isEmpty() ? stderr : stderr.replace(token, "<redacted>");
        shown = shown.strip();
        if (shown.isEmpty()) {
            return "";
        }
        if (shown.length() > MAX_ERROR_CHARS) {
            shown = shown.substring(0, MAX_ERROR_CHARS) + "...";
        }
        return ":\n" + shown;
    }

    private static CompletableFuture<String> drain(InputStream stream) {
        // both pipes are read at once: a command that fills one while we wait on the other would hang
        CompletableFuture<String> result = new CompletableFuture<>();
        Thread reader = new Thread(
                () -> {
                    try (stream) {
                        result.complete(readBounded(stream));
                    } catch (IOException | UncheckedIOException e) {
                        result.completeExceptionally(e);
                    }
                },
                "token-command-output");
        reader.setDaemon(true);
        reader.start();
        return result;
    }

    private static String readBounded(InputStream stream) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = stream.read(buffer)) >= 0) {
            // keep draining past the limit so the command never blocks on a full pipe
            if (out.size() < 1 << 20) {
                out.write(buffer, 0, n);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
