package dev.clusterconnect.sandbox;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the record keeps, byte for byte, and that a closed server leaves nothing running. */
class RecordingAndLifecycleTest {

    @Test
    void recordKeepsHeaderNamesAsSentAndEveryDuplicate() throws Exception {
        try (SandboxApiServer server = SandboxApiServer.builder()
                .tls(false)
                .token("t", "agent")
                .impersonator("agent")
                .build()
                .start()) {
            String response = send(
                    server,
                    "GET /api/v1/namespaces/default/pods?limit=1 HTTP/1.1\r\nHost: x\r\n"
                            + "Authorization: Bearer t\r\nImpersonate-User: dave\r\nimpersonate-group: a\r\nIMPERSONATE-GROUP: b\r\n"
                            + "X-Custom: 1\r\nX-Custom: 2\r\nConnection: close\r\n\r\n");
            assertTrue(response.startsWith("HTTP/1.1 200"), response);
            RecordedRequest recorded = server.awaitRequest(r -> r.path().endsWith("/pods"), Duration.ofSeconds(5));
            assertEquals("/api/v1/namespaces/default/pods?limit=1", recorded.uri());
            assertEquals(
                    List.of(
                            Map.entry("Host", "x"),
                            Map.entry("Authorization", "Bearer t"),
                            Map.entry("Impersonate-User", "dave"),
                            Map.entry("impersonate-group", "a"),
                            Map.entry("IMPERSONATE-GROUP", "b"),
                            Map.entry("X-Custom", "1"),
                            Map.entry("X-Custom", "2"),
                            Map.entry("Connection", "close")),
                    recorded.headers());
            assertEquals("dave", recorded.identity().username());
            assertEquals(
                    List.of("a", "b", "system:authenticated"),
                    recorded.identity().groups());
            server.clearRecords();
            assertEquals(List.of(), server.requests());
        }
    }

    @Test
    void closingStopsEveryThreadTheServerStarted() throws Exception {
        SandboxApiServer server = SandboxApiServer.builder()
                .demoPods(true)
                .logLineEvery(Duration.ofMillis(50))
                .token("t", "agent")
                .build()
                .start();
        assertTrue(server.port() > 0);
        assertTrue(server.url().startsWith("https://127.0.0.1:"));
        assertTrue(server.caCertificatePem().startsWith("-----BEGIN CERTIFICATE-----"));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> server.cluster().logs().lines("default", "demo-0").size() > 2);
        server.close();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> Thread.getAllStackTraces().keySet().stream()
                        .noneMatch(t -> t.isAlive() && t.getName().startsWith("sandbox-")));
    }

    private static String send(SandboxApiServer server, String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
