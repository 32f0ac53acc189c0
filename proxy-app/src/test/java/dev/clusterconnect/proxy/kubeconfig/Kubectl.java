package dev.clusterconnect.proxy.kubeconfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Runs the real kubectl binary against a kubeconfig file. */
final class Kubectl {

    static final Path BINARY = Path.of("/usr/bin/kubectl");

    private Kubectl() {}

    static void assumeInstalled() {
        Assumptions.assumeTrue(Files.isExecutable(BINARY), "kubectl is not installed at " + BINARY);
    }

    /** Runs {@code kubectl <args> --kubeconfig <file>} and returns its stdout; fails on a non-zero exit. */
    static String run(Path kubeconfig, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(BINARY.toString()));
        command.addAll(List.of(args));
        command.add("--kubeconfig=" + kubeconfig);
        Path err = Files.createTempFile("kubectl", ".err");
        try {
            Process process =
                    new ProcessBuilder(command).redirectError(err.toFile()).start();
            process.getOutputStream().close();
            byte[] out = process.getInputStream().readAllBytes();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "kubectl did not finish");
            assertEquals(0, process.exitValue(), () -> "kubectl " + args[0] + " failed: " + read(err));
            return new String(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(err);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
