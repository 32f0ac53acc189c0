package dev.clusterconnect.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.clusterconnect.sandbox.RecordedRequest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * exec, attach, cp and port-forward through the chain, over each transport kubectl speaks: the
 * WebSocket protocols of kubectl 1.32, SPDY/3.1 forced by its switches, and kubectl 1.29 (SPDY
 * only). After the 101 the bytes are opaque to every hop; only the sandbox (or, on a real cluster,
 * the kubelet of the suite's pods, see {@link TestPods}) understands them.
 */
class UpgradesThroughTheChainTest {

    private static final Pattern FORWARDING = Pattern.compile("Forwarding from 127\\.0\\.0\\.1:(\\d+)");
    static Chain chain;

    @BeforeAll
    static void startChain(org.junit.jupiter.api.TestInfo test) throws Exception {
        chain = Chain.startFor(test, "alice", "dev", "ops");
    }

    @AfterAll
    static void stopChain() throws Exception {
        if (chain != null) {
            chain.close();
        }
    }

    @AfterEach
    void nothingLeftOpen() {
        chain.awaitNoOpenStreams();
    }

    private static void clearRecords() {
        if (chain.hasSandbox()) {
            chain.apiserver.clearRecords();
        }
    }

    /** What the apiserver received, where it can tell: the sandbox records the upgrade it answered. */
    private static void assertUpgradedWith(String path, String upgrade) {
        if (chain.hasSandbox()) {
            RecordedRequest request = chain.apiserver.awaitRequest(r -> r.path().endsWith(path), Duration.ofSeconds(5));
            assertThat(request.header("Upgrade").orElseThrow()).isEqualToIgnoringCase(upgrade);
            assertThat(request.headers("Impersonate-User")).containsExactly("alice");
        }
    }

    static Stream<Arguments> execTransports() {
        return Stream.of(
                Arguments.of("websocket", chain.kubectl(), "websocket"),
                Arguments.of("spdy", chain.kubectl().withEnv("KUBECTL_REMOTE_COMMAND_WEBSOCKETS", "false"), "SPDY/3.1"),
                Arguments.of("kubectl-1.29", chain.kubectl(Kubectl.version(29)), "SPDY/3.1"));
    }

    static Stream<Arguments> portForwardTransports() {
        return Stream.of(
                Arguments.of("websocket", chain.kubectl(), "websocket"),
                Arguments.of("spdy", chain.kubectl().withEnv("KUBECTL_PORT_FORWARD_WEBSOCKETS", "false"), "SPDY/3.1"),
                Arguments.of("kubectl-1.29", chain.kubectl(Kubectl.version(29)), "SPDY/3.1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("execTransports")
    void execRunsACommandAndCarriesStdinStdoutAndTheExitCode(String name, Kubectl kubectl, String upgrade)
            throws Exception {
        String pod = chain.pod(0);
        clearRecords();
        assertThat(kubectl.run("exec", pod, "--", "echo", "hello", name).ok().out())
                .isEqualTo("hello " + name + "\n");
        assertUpgradedWith("/exec", upgrade);

        byte[] input = ("typed into cat over " + name + "\n").repeat(2000).getBytes(StandardCharsets.UTF_8);
        assertThat(kubectl.run(input, "exec", "-i", pod, "--", "cat").ok().out().getBytes(StandardCharsets.UTF_8))
                .isEqualTo(input);

        var failing = kubectl.run("exec", pod, "--", "sh", "-c", "echo failing >&2; exit 3");
        assertThat(failing.exit()).isEqualTo(3);
        assertThat(failing.err()).contains("failing");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("execTransports")
    void cpCopiesFilesBothWays(String name, Kubectl kubectl, String upgrade) throws Exception {
        Path source = Files.createDirectories(chain.dir.resolve("cp-" + name + "/up"));
        byte[] big = new byte[300_000];
        new Random(7).nextBytes(big);
        Files.write(source.resolve("big.bin"), big);
        String podDir = "/tmp/cp-" + name;
        String pod = chain.pod(1);
        kubectl.run("cp", source.toString(), pod + ":" + podDir).ok();
        Path back = chain.dir.resolve("cp-" + name + "/back");
        kubectl.run("cp", pod + ":" + podDir, back.toString()).ok();
        assertThat(Files.readAllBytes(back.resolve("big.bin"))).isEqualTo(big);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("execTransports")
    void attachCarriesTheContainersOutputAndStdin(String name, Kubectl kubectl, String upgrade) throws Exception {
        try (var attach = kubectl.start("attach", "-i", chain.pod(0))) {
            String typed = "typed through the chain via " + name;
            await().atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(300))
                    .until(() -> {
                        attach.write(typed + "\n");
                        return true;
                    });
            attach.awaitLine(typed, Duration.ofSeconds(20));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("portForwardTransports")
    void portForwardCarriesEveryConnection(String name, Kubectl kubectl, String upgrade) throws Exception {
        String pod = chain.pod(0);
        clearRecords();
        try (var forward = kubectl.start("port-forward", "pod/" + pod, ":8080")) {
            Matcher matcher =
                    FORWARDING.matcher(forward.awaitLine("Forwarding from 127.0.0.1", Duration.ofSeconds(20)));
            assertThat(matcher.find()).isTrue();
            int port = Integer.parseInt(matcher.group(1));
            for (int i = 0; i < 3; i++) {
                String message = "ping " + i + " over " + name;
                assertThat(exchange(port, message)).isEqualTo(message);
            }
        }
        assertUpgradedWith("/portforward", upgrade);
    }

    private static String exchange(int port, String line) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
        }
    }
}
