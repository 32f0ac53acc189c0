package dev.clusterconnect.routes.component.kubeclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.clusterconnect.routes.http.HttpCall;
import dev.clusterconnect.routes.http.HttpReply;
import dev.clusterconnect.routes.http.RequestHead;
import dev.clusterconnect.routes.http.RequestIds;
import dev.clusterconnect.routes.stream.ByteSource;
import dev.clusterconnect.routes.stream.CollectedBody;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Requests that meet a connection the upstream gave up on (a relay replica stopped, the load
 * balancer dropped it): sent again on a new connection when that is safe, never otherwise. The
 * requests enter through a {@code kubeserver:} edge, as in the proxy, and leave through
 * {@code kubeclient:} to a scripted server.
 */
class StaleConnectionRetryTest {

    private static final String TOKEN = "Bearer sekret-token-value";

    private final HttpClient client =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final CapturedLog log = new CapturedLog(UpstreamCall.class);
    private ScriptedUpstream upstream;
    private CamelContext camel;
    private int edgePort;

    @AfterEach
    void stop() throws IOException {
        log.close();
        if (camel != null) {
            camel.stop();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    @Test
    void aGetAfterTheServerClosedItsIdleConnectionSucceedsOnANewOne() throws Exception {
        start(
                c -> {
                    c.readRequest();
                    c.answer("first");
                    c.close();
                },
                c -> c.answerAll("second"));

        assertThat(get("/api/v1/pods").body()).isEqualTo("first");
        await().atMost(Duration.ofSeconds(5)).until(() -> upstream.closed(0));

        HttpResponse<String> next = get("/api/v1/pods");
        assertThat(next.statusCode()).isEqualTo(200);
        assertThat(next.body()).isEqualTo("second");
        assertThat(upstream.connections()).isEqualTo(2);
    }

    @Test
    void aGetOnAPooledConnectionTheServerClosesAsItArrivesIsSentAgainOnANewOne() throws Exception {
        start(
                c -> {
                    c.readRequest();
                    c.answer("first");
                    c.closeAsTheNextRequestArrives();
                },
                c -> c.answerAll("second"));
        assertThat(get("/api/v1/pods").body()).isEqualTo("first");

        HttpResponse<String> next = get("/api/v1/pods");

        assertThat(next.statusCode()).isEqualTo(200);
        assertThat(next.body()).isEqualTo("second");
        assertThat(upstream.connections()).isEqualTo(2);
        assertThat(log.lines()).anyMatch(line -> line.contains("sending again"));
    }

    @Test
    void aGetTheServerDroppedUnansweredIsSentAgainWithTheSameHeadOnANewConnection() throws Exception {
        start(
                c -> {
                    c.readRequest();
                    c.close();
                },
                c -> c.answerAll("pods"));

        HttpResponse<String> response = get("/api/v1/pods?limit=5");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("pods");
        assertThat(upstream.received())
                .extracting(ScriptedUpstream.Received::connection)
                .containsExactly(0, 1);
        ScriptedUpstream.Received first = upstream.received().get(0);
        ScriptedUpstream.Received second = upstream.received().get(1);
        assertThat(second.head().lines().findFirst())
                .isEqualTo(first.head().lines().findFirst());
        String requestId = first.header(RequestIds.HEADER);
        assertThat(requestId).isNotNull().isEqualTo(second.header(RequestIds.HEADER));
        assertThat(second.header("Authorization")).isEqualTo(TOKEN);
        assertThat(log.lines())
                .anyMatch(line -> line.startsWith("INFO [" + requestId + "]") && line.contains("sending again"));
        assertThat(log.lines()).noneMatch(line -> line.contains("sekret"));

        // The retried request completed on its new connection, which went back to the pool.
        assertThat(get("/api/v1/pods").body()).isEqualTo("pods");
        assertThat(upstream.connections()).isEqualTo(2);
    }

    @Test
    void aGetWhoseConnectionIsResetBeforeTheAnswerIsSentAgain() throws Exception {
        start(
                c -> {
                    c.readRequest();
                    c.reset();
                },
                c -> c.answerAll("pods"));

        HttpResponse<String> response = get("/api/v1/pods");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("pods");
        assertThat(upstream.connections()).isEqualTo(2);
    }

    @Test
    void aPostWithABodyIsNotSentAgainAndGetsA502Status() throws Exception {
        start(
                c -> {
                    c.readRequest();
                    c.close();
                },
                c -> c.answerAll("must not be asked"));

        HttpResponse<String> response = client.send(
                request("/api/v1/namespaces/default/pods")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"kind\":\"Pod\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body())
                .contains("\"kind\":\"Status\"")
                .contains("closed the connection before it answered");
        assertThat(upstream.connections()).isEqualTo(1);
        assertThat(log.lines()).noneMatch(line -> line.contains("sending again"));
    }

    @Test
    void aGetIsSentAtMostThreeTimesThenGetsA502Status() throws Exception {
        start(c -> {
            c.readRequest();
            c.close();
        });

        HttpResponse<String> response = get("/api/v1/pods");

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).contains("\"kind\":\"Status\"");
        assertThat(upstream.connections()).isEqualTo(UpstreamCall.MAX_ATTEMPTS);
    }

    @Test
    void aResponseCutShortAfterItsHeadIsNotSentAgain() throws Exception {
        start(
                c -> {
                    c.readRequest();
                    c.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\npartial");
                    c.close();
                },
                c -> c.answerAll("must not be asked"));

        assertThatThrownBy(() -> get("/api/v1/pods")).isInstanceOf(IOException.class);
        assertThat(upstream.connections()).isEqualTo(1);
        assertThat(log.lines()).noneMatch(line -> line.contains("sending again"));
    }

    @Test
    void aServerThatDiedHalfwayThroughTheHeadIsNotAskedAgain() throws Exception {
        start(
                c -> {
                    c.readRequest();
                    c.write("HTTP/1.1 200 OK\r\nContent-Ty");
                    c.close();
                },
                c -> c.answerAll("must not be asked"));

        HttpResponse<String> response = get("/api/v1/pods");

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).contains("\"kind\":\"Status\"").contains("does not parse");
        assertThat(upstream.connections()).isEqualTo(1);
    }

    @Test
    void anUpgradeIsNeverSentAgain() throws Exception {
        start(
                c -> {
                    c.readRequest();
                    c.close();
                },
                c -> c.answerAll("must not be asked"));

        try (Socket socket = new Socket("127.0.0.1", edgePort)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /api/v1/namespaces/default/pods/p/exec?command=sh HTTP/1.1\r\nHost: x\r\n"
                            + "Upgrade: SPDY/3.1\r\nConnection: Upgrade\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(readStatusLine(socket.getInputStream())).startsWith("HTTP/1.1 502");
        }
        assertThat(upstream.connections()).isEqualTo(1);
    }

    @Test
    void anUnreachableUpstreamIsDialledOnceMoreAfterAPauseThenGetsA502Status() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        startEdgeTo(closedPort);

        long start = System.nanoTime();
        HttpResponse<String> response = get("/api/v1/pods");

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).contains("cannot reach up");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
                .isGreaterThanOrEqualTo(UpstreamCall.REDIAL_DELAY_MILLIS);
        assertThat(log.lines())
                .filteredOn(line -> line.contains("dialling again"))
                .hasSize(1);
    }

    @Test
    void aCallerOffTheEventLoopsIsRetriedToo() throws Exception {
        start(
                c -> {
                    c.readRequest();
                    c.close();
                },
                c -> c.answerAll("pods"));
        String id = RequestIds.generate();
        DefaultHttpHeaders headers = new DefaultHttpHeaders();
        headers.set(RequestIds.HEADER, id);
        HttpCall call = new HttpCall(new RequestHead("GET", "/api/v1/pods", headers), ByteSource.EMPTY, null, id);

        Exchange done = camel.createProducerTemplate()
                .send("kubeclient:up?upstream=#upstream", e -> e.getMessage().setBody(call));

        assertThat(done.getException()).isNull();
        HttpReply reply = done.getMessage().getBody(HttpReply.class);
        assertThat(reply.head().status()).isEqualTo(200);
        assertThat(new String(CollectedBody.of(reply.body(), 1024).get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8))
                .isEqualTo("pods");
        assertThat(upstream.received())
                .extracting(r -> r.header(RequestIds.HEADER))
                .containsExactly(id, id);
    }

    private void start(ScriptedUpstream.Script... scripts) throws Exception {
        upstream = new ScriptedUpstream(scripts);
        startEdgeTo(upstream.port());
    }

    private void startEdgeTo(int upstreamPort) throws Exception {
        try (ServerSocket probe = new ServerSocket(0)) {
            edgePort = probe.getLocalPort();
        }
        camel = new DefaultCamelContext();
        camel.getRegistry().bind("upstream", new Upstream("127.0.0.1", upstreamPort, null, ""));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("kubeserver:127.0.0.1:" + edgePort + "/api")
                        .routeId("edge")
                        .process(exchange ->
                                RequestIds.stamp(exchange.getMessage().getBody(HttpCall.class)))
                        .to("kubeclient:up?upstream=#upstream");
            }
        });
        camel.start();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edgePort + path))
                .header("Authorization", TOKEN)
                .timeout(Duration.ofSeconds(10));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(request(path).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String readStatusLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            line.append((char) b);
        }
        return line.toString().trim();
    }
}
