package dev.clusterconnect.sandbox.kubectl;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.clusterconnect.sandbox.RecordedRequest;
import dev.clusterconnect.sandbox.SandboxApiServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** kubectl port-forward over SPDY tunnelled in WebSocket (1.32 default) and raw SPDY. */
class PortForwardTest {

    private static final Pattern FORWARDING = Pattern.compile("Forwarding from 127\\.0\\.0\\.1:(\\d+) ->");

    @TempDir
    static Path dir;

    private static ServerSocket greeter;
    private static SandboxApiServer server;
    private static Kubectl kubectl;

    @BeforeAll
    static void start() throws IOException {
        greeter = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        Thread accept = new Thread(PortForwardTest::greet, "greeter");
        accept.setDaemon(true);
        accept.start();
        server = SandboxFixture.builder()
                .forwardPort(9000, new InetSocketAddress("127.0.0.1", greeter.getLocalPort()))
                .build()
                .start();
        kubectl = SandboxFixture.agent(server, dir);
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
        greeter.close();
    }

    static Stream<Arguments> transports() {
        return Stream.of(
                Arguments.of("websocket", kubectl, "websocket"),
                Arguments.of("spdy", kubectl.withEnv("KUBECTL_PORT_FORWARD_WEBSOCKETS", "false"), "SPDY/3.1"),
                Arguments.of("kubectl-1.29", kubectl.version("1.29"), "SPDY/3.1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void forwardedPortEchoesEveryConnection(String name, Kubectl kubectl, String upgrade) throws Exception {
        server.clearRecords();
        try (Kubectl.Running forward = kubectl.background("port-forward", "pod/demo-0", ":8080")) {
            int port = localPort(forward);
            for (int i = 0; i < 3; i++) {
                String message = "ping " + i + " over " + name;
                assertEquals(message, exchange(port, message));
            }
        }
        RecordedRequest request = server.awaitRequest(r -> r.path().endsWith("/portforward"), Duration.ofSeconds(5));
        assertEquals(upgrade, request.header("Upgrade").orElseThrow());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void portMappedToATcpServerReachesIt(String name, Kubectl kubectl, String upgrade) throws Exception {
        try (Kubectl.Running forward = kubectl.background("port-forward", "pod/demo-1", ":9000")) {
            int port = localPort(forward);
            assertEquals("hello from tcp: " + name, exchange(port, name));
        }
    }

    private static int localPort(Kubectl.Running forward) {
        return await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> forward.lines().stream()
                                .map(FORWARDING::matcher)
                                .filter(Matcher::find)
                                .findFirst()
                                .map(m -> Integer.parseInt(m.group(1))),
                        Optional::isPresent)
                .orElseThrow();
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

    /** Answers each line with a greeting, one connection after the other. */
    private static void greet() {
        while (!greeter.isClosed()) {
            try (Socket socket = greeter.accept()) {
                String line = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
                        .readLine();
                socket.getOutputStream().write(("hello from tcp: " + line + "\n").getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // closed at the end of the test
            }
        }
    }
}
