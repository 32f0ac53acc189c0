package dev.clusterconnect.packaging;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A command run to its end, with standard error folded into its output. */
record Run(int exitCode, String output) {

    /** Runs {@code command} in {@code dir}; {@code env}, when not null, is its whole environment. */
    static Run of(Path dir, Map<String, String> env, List<String> command) {
        var builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        if (env != null) {
            builder.environment().clear();
            builder.environment().putAll(env);
        }
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("still running after 2 minutes: " + command);
            }
            return new Run(process.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs {@code command} and fails the test unless it exits 0. */
    static String ok(Path dir, List<String> command) {
        Run run = of(dir, null, command);
        if (run.exitCode() != 0) {
            fail(command + " exited " + run.exitCode() + ":\n" + run.output());
        }
        return run.output();
    }
}
