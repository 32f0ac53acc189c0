package dev.clusterconnect.sandbox.kubectl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clusterconnect.sandbox.SandboxApiServer;
import dev.clusterconnect.sandbox.SandboxMain;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lists far larger than the server's heap are streamed, not built in memory. */
class BulkListTest {

    private static final long MIB = 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void aListOf256MiBIsServedByAServerWithA48MiBHeap() throws Exception {
        Path tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, "bulk-token");
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx48m",
                "-cp",
                System.getProperty("java.class.path"),
                SandboxMain.class.getName(),
                "--port",
                Integer.toString(port),
                "--plain",
                "--admin-token-file",
                tokenFile.toString(),
                "--bulk-configmaps",
                "bulk=" + 256 * MIB));
        Process sandbox = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            awaitListening(sandbox.getInputStream());
            HttpResponse<InputStream> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(
                                            "http://127.0.0.1:" + port + "/api/v1/namespaces/bulk/configmaps"))
                                    .header("Authorization", "Bearer bulk-token")
                                    .build(),
                            HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, response.statusCode());
            long received = 0;
            byte[] buffer = new byte[1 << 16];
            try (InputStream body = response.body()) {
                for (int read; (read = body.read(buffer)) >= 0; ) {
                    received += read;
                }
            }
            assertTrue(received > 256 * MIB, "received " + received);
            assertTrue(sandbox.isAlive(), "the sandbox survived");
        } finally {
            sandbox.destroy();
            sandbox.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void kubectlReadsABulkListPageByPage(@TempDir Path kubeconfigDir) {
        try (SandboxApiServer server =
                SandboxFixture.builder().bulkConfigMaps("bulk", 3 * MIB).build().start()) {
            Kubectl kubectl = SandboxFixture.agent(server, kubeconfigDir);
            List<String> names = kubectl.run("-n", "bulk", "get", "configmaps", "--chunk-size=20", "-o", "name")
                    .ok()
                    .stdout()
                    .lines()
                    .toList();
            assertEquals(48, names.size(), "3 MiB in items of 64 KiB");
            assertEquals("configmap/bulk-00000047", names.get(47));
            assertEquals(
                    3,
                    server.requests().stream()
                            .filter(r -> r.uri().contains("limit=20"))
                            .count());
        }
    }

    private static void awaitListening(InputStream output) throws Exception {
        BufferedReader reader = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8));
        for (String line; (line = reader.readLine()) != null; ) {
            if (line.contains("listening on")) {
                return;
            }
        }
        throw new AssertionError("the sandbox process ended before listening");
    }
}
