package dev.clusterconnect.sandbox.kubectl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clusterconnect.sandbox.SandboxApiServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** exec, attach and cp with real kubectl, over WebSocket (1.32) and SPDY (1.32 forced, and 1.29). */
class ExecTest {

    @TempDir
    static Path dir;

    private static SandboxApiServer server;
    private static Kubectl kubectl;

    @BeforeAll
    static void start() {
        server = SandboxFixture.builder().build().start();
        kubectl = SandboxFixture.agent(server, dir);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Stream<Arguments> transports() {
        return Stream.of(
                Arguments.of("websocket", kubectl),
                Arguments.of("spdy", kubectl.spdyRemoteCommand()),
                Arguments.of("kubectl-1.29", kubectl.version("1.29")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void execPrintsTheCommandsOutput(String transport, Kubectl kubectl) {
        assertEquals(
                "hi " + transport + "\n",
                kubectl.run("exec", "demo-0", "--", "echo", "hi", transport)
                        .ok()
                        .stdout());
        String upgrade = server.requests()
                .get(server.requests().size() - 1)
                .header("Upgrade")
                .orElse("");
        assertEquals(transport.equals("websocket") ? "websocket" : "SPDY/3.1", upgrade);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void execWithStdinEchoesItThroughCat(String transport, Kubectl kubectl) {
        byte[] input = ("line one\nline two from " + transport + "\n").getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(
                input,
                kubectl.run(input, "exec", "-i", "demo-0", "--", "cat").ok().out());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void execExitsWithTheCommandsExitCode(String transport, Kubectl kubectl) {
        Kubectl.Result result = kubectl.run("exec", "demo-0", "--", "sh", "-c", "echo failing >&2; exit 3");
        assertEquals(3, result.exitCode(), result.stderr());
        assertTrue(result.stderr().contains("failing\n"), result.stderr());
        assertTrue(result.stderr().contains("command terminated with exit code 3"), result.stderr());
    }

    @Test
    void stderrReachesKubectlsStderr() {
        Kubectl.Result result = kubectl.run("exec", "demo-0", "--", "cat", "/no/such/file");
        assertEquals(1, result.exitCode());
        assertTrue(result.stderr().contains("cat: /no/such/file: No such file or directory"), result.stderr());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void copyIntoAndOutOfAPodRoundTripsADirectory(String transport, Kubectl kubectl) throws Exception {
        Path source = Files.createDirectories(dir.resolve("src-" + transport).resolve("nested"));
        byte[] big = new byte[300_000];
        new Random(42).nextBytes(big);
        Files.write(source.getParent().resolve("big.bin"), big);
        Files.writeString(source.resolve("note.txt"), "hello from " + transport);
        String podDir = "/tmp/copied-" + transport;
        kubectl.run("cp", source.getParent().toString(), "demo-1:" + podDir).ok();
        assertEquals(
                "hello from " + transport,
                new String(
                        server.cluster()
                                .files("default", "demo-1")
                                .read(podDir + "/nested/note.txt")
                                .orElseThrow(),
                        StandardCharsets.UTF_8));
        Path back = dir.resolve("back-" + transport);
        kubectl.run("cp", "demo-1:" + podDir, back.toString()).ok();
        assertArrayEquals(big, Files.readAllBytes(back.resolve("big.bin")));
        assertEquals("hello from " + transport, Files.readString(back.resolve("nested/note.txt")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void attachSeesTheContainersOutputAndFeedsItsStdin(String transport, Kubectl kubectl) throws Exception {
        try (Kubectl.Running attach = kubectl.background("attach", "-i", "demo-0")) {
            // the pod's main process echoes stdin to its output, so typed text comes back through the attach
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
                attach.write("typed via " + transport + "\n");
                return attach.lines().contains("typed via " + transport);
            });
            server.appendLog("default", "demo-0", "logged by the pod");
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .until(() -> attach.lines().contains("logged by the pod"));
        }
        assertTrue(kubectl.run("logs", "demo-0").ok().stdout().contains("typed via " + transport));
    }
}
