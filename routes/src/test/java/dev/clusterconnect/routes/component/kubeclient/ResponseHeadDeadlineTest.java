package dev.clusterconnect.routes.component.kubeclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every call has a deadline for its response head (here a short one): past it the client gets a
 * 504 Status and the connection is closed, never pooled; a response whose head came in time may
 * stream for as long as it likes.
 */
class ResponseHeadDeadlineTest {

    private static final String DEADLINE = "&responseHeadTimeout=300ms";

    private EdgeToScriptedUpstream edge;

    @AfterEach
    void stop() throws IOException {
        if (edge != null) {
            edge.close();
        }
    }

    @Test
    void aServerThatNeverAnswersGetsTheClientA504TimeoutStatusAndLosesTheConnection() throws Exception {
        edge = new EdgeToScriptedUpstream(
                DEADLINE, ScriptedUpstream.Connection::readRequestAndSayNothing, c -> c.answerAll("fresh"));

        HttpResponse<String> response = edge.get("/api/v1/pods");

        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(response.body())
                .contains("\"kind\":\"Status\"")
                .contains("\"reason\":\"Timeout\"")
                .contains("up (127.0.0.1:" + edge.upstream.port() + ")")
                .contains("300 ms")
                .doesNotContain("sekret");
        await().atMost(Duration.ofSeconds(10)).until(() -> edge.upstream.closed(0));
        assertThat(edge.upstream.received())
                .as("a request that timed out is not sent again")
                .hasSize(1);

        HttpResponse<String> next = edge.get("/api/v1/pods");
        assertThat(next.statusCode()).isEqualTo(200);
        assertThat(next.body()).isEqualTo("fresh");
    }

    @Test
    void theDeadlineIsForTheHeadOnlyAWatchStreamsOnPastIt() throws Exception {
        CountDownLatch deadlinePassed = new CountDownLatch(1);
        // Long enough that a busy machine still delivers the watch's head in time.
        edge = new EdgeToScriptedUpstream(
                "&responseHeadTimeout=2s",
                c -> {
                    c.readRequest();
                    c.write(
                            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n7\r\nevent1\n\r\n");
                    try {
                        deadlinePassed.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        return;
                    }
                    c.write("7\r\nevent2\n\r\n0\r\n\r\n");
                    c.answerAll("fresh");
                },
                ScriptedUpstream.Connection::readRequestAndSayNothing);
        HttpResponse<InputStream> watch = edge.open("/api/v1/pods?watch=true");
        BufferedReader events = new BufferedReader(new InputStreamReader(watch.body(), StandardCharsets.UTF_8));
        assertThat(events.readLine()).isEqualTo("event1");

        // Started after the watch's head, so the watch has outlived a whole deadline once this ends.
        assertThat(edge.get("/api/v1/pods").statusCode()).isEqualTo(504);
        deadlinePassed.countDown();

        assertThat(events.readLine()).isEqualTo("event2");
        assertThat(events.readLine()).isNull();
        assertThat(watch.statusCode()).isEqualTo(200);
    }

    @Test
    void theDeadlineIsSixtySecondsUnlessConfiguredAndCannotBeSwitchedOff() throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.getRegistry().bind("upstream", new Upstream("127.0.0.1", 1, null, ""));
            camel.start();
            KubeClientEndpoint plain = camel.getEndpoint("kubeclient:a?upstream=#upstream", KubeClientEndpoint.class);
            assertThat(plain.getResponseHeadTimeout()).isEqualTo(Duration.ofSeconds(60));
            assertThat(camel.getEndpoint(
                                    "kubeclient:b?upstream=#upstream&responseHeadTimeout=2m", KubeClientEndpoint.class)
                            .getResponseHeadTimeout())
                    .isEqualTo(Duration.ofMinutes(2));

            KubeClientEndpoint off = camel.getEndpoint(
                    "kubeclient:c?upstream=#upstream&responseHeadTimeout=0", KubeClientEndpoint.class);
            assertThatThrownBy(off::createProducer).hasMessageContaining("positive responseHeadTimeout");
        }
    }
}
