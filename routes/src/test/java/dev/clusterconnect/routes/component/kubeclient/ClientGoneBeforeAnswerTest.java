package dev.clusterconnect.routes.component.kubeclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * kubectl interrupted while the server works on its answer (a slow LIST): the upstream connection
 * closes at once, so the apiserver stops working for nobody, instead of waiting out the
 * response-head deadline; the request is not sent again, and the next one is served.
 */
class ClientGoneBeforeAnswerTest {

    private EdgeToScriptedUpstream edge;

    @AfterEach
    void stop() throws IOException {
        if (edge != null) {
            edge.close();
        }
    }

    @Test
    void aClientThatLeavesBeforeTheHeadClosesTheUpstreamConnection() throws Exception {
        edge = new EdgeToScriptedUpstream(
                "&responseHeadTimeout=60s",
                ScriptedUpstream.Connection::readRequestAndSayNothing,
                c -> c.answerAll("fresh"));

        try (Socket client = new Socket("127.0.0.1", edge.port())) {
            OutputStream out = client.getOutputStream();
            out.write(("GET /api/v1/pods HTTP/1.1\r\nHost: x\r\nAuthorization: " + EdgeToScriptedUpstream.TOKEN
                            + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> edge.upstream.received().size() == 1);
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> edge.upstream.closed(0));
        assertThat(edge.upstream.received())
                .as("never sent again for a client that left")
                .hasSize(1);
        HttpResponse<String> next = edge.get("/api/v1/pods");
        assertThat(next.statusCode()).isEqualTo(200);
        assertThat(next.body()).isEqualTo("fresh");
    }
}
