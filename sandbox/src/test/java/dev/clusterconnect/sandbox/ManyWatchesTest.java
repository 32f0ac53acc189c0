package dev.clusterconnect.sandbox;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clusterconnect.sandbox.store.Json;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Watches cost no thread: a thousand of them are served by the two I/O threads. */
class ManyWatchesTest {

    private static final int WATCHES = 1000;

    @Test
    void aThousandOpenWatchesAllReceiveTheNextChange() throws Exception {
        try (SandboxApiServer server = SandboxApiServer.builder()
                .tls(false)
                .token("t", "agent")
                .build()
                .start()) {
            int threadsBefore = Thread.activeCount();
            List<Socket> sockets = new ArrayList<>();
            try {
                for (int i = 0; i < WATCHES; i++) {
                    Socket socket = new Socket("127.0.0.1", server.port());
                    socket.setSoTimeout(20_000);
                    socket.getOutputStream()
                            .write(("GET /api/v1/namespaces/default/configmaps?watch=1&resourceVersion="
                                            + server.store().resourceVersion()
                                            + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t\r\n\r\n")
                                    .getBytes(StandardCharsets.US_ASCII));
                    sockets.add(socket);
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> server.openWatchCount() == WATCHES);
                ObjectNode cm = Json.object().put("apiVersion", "v1").put("kind", "ConfigMap");
                cm.putObject("metadata").put("name", "for-everyone").put("namespace", "default");
                server.store().create(cm);
                for (Socket socket : sockets) {
                    BufferedReader in =
                            new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                    String line = in.readLine();
                    while (line != null && !line.startsWith("{\"type\":\"ADDED\"")) {
                        line = in.readLine();
                    }
                    assertTrue(line != null && line.contains("for-everyone"), "every watch saw the change");
                }
                assertTrue(Thread.activeCount() < threadsBefore + 10, "no thread per watch");
            } finally {
                for (Socket socket : sockets) {
                    socket.close();
                }
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> server.openWatchCount() == 0);
        }
    }
}
