package dev.clusterconnect.routes.component.kubeserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clusterconnect.routes.component.kubeclient.CapturedLog;
import dev.clusterconnect.routes.http.HttpCall;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The edge every app shares refuses a request two hops could read differently, before any route
 * sees it: each case is answered with its status and a Kubernetes Status, and nothing is
 * forwarded. The well-formed requests next to them show that the route is reachable at all.
 */
class EdgeStrictnessTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "s3cr3t-token-never-logged";

    private final List<HttpCall> reached = new CopyOnWriteArrayList<>();
    private DefaultCamelContext camel;
    private KubeServerConsumer route;

    @BeforeEach
    void startRoute() throws Exception {
        camel = new DefaultCamelContext();
        camel.start();
        KubeServerComponent component = new KubeServerComponent();
        component.setCamelContext(camel);
        KubeServerEndpoint endpoint = new KubeServerEndpoint("kubeserver:localhost:0", component, "localhost", 0, "/");
        route = new KubeServerConsumer(endpoint, exchange -> {
            reached.add(exchange.getMessage().getBody(HttpCall.class));
            exchange.getMessage().setBody("ok".getBytes(StandardCharsets.UTF_8));
        });
        route.setRouteId("edge-strictness");
        route.build();
    }

    @AfterEach
    void stopRoute() {
        camel.stop();
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of(
                        "chunked not the final coding",
                        400,
                        post("Transfer-Encoding: chunked, identity\r\n") + "0\r\n\r\n"),
                Arguments.of(
                        "a coding before chunked", 400, post("Transfer-Encoding: gzip, chunked\r\n") + "0\r\n\r\n"),
                Arguments.of(
                        "identity only",
                        400,
                        post("Transfer-Encoding: identity\r\n") + "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n"),
                Arguments.of("an unknown coding", 400, post("Transfer-Encoding: xchunked\r\n")),
                Arguments.of(
                        "two Transfer-Encoding lines",
                        400,
                        post("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n") + "0\r\n\r\n"),
                Arguments.of(
                        "Transfer-Encoding on HTTP/1.0",
                        400,
                        "POST /api/v1/pods HTTP/1.0\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
                Arguments.of(
                        "Content-Length and Transfer-Encoding",
                        400,
                        post("Content-Length: 4\r\nTransfer-Encoding: chunked\r\n") + "0\r\n\r\n"),
                Arguments.of(
                        "two differing Content-Length lines",
                        400,
                        post("Content-Length: 3\r\nContent-Length: 4\r\n") + "abcd"),
                Arguments.of("two Content-Length values in one line", 400, post("Content-Length: 3, 4\r\n") + "abcd"),
                Arguments.of("a signed Content-Length", 400, post("Content-Length: +3\r\n") + "abc"),
                Arguments.of("a negative Content-Length", 400, post("Content-Length: -1\r\n") + "abc"),
                Arguments.of("a hexadecimal Content-Length", 400, post("Content-Length: 0x3\r\n") + "abc"),
                Arguments.of(
                        "a Content-Length beyond any length",
                        400,
                        post("Content-Length: 99999999999999999999\r\n") + "abc"),
                Arguments.of("HTTP/1.1 without Host", 400, "GET /api/v1/pods HTTP/1.1\r\n\r\n"),
                Arguments.of("two Host lines", 400, "GET /api/v1/pods HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"),
                Arguments.of(
                        "two Host lines on HTTP/1.0", 400, "GET /api/v1/pods HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n"),
                Arguments.of(
                        "two cluster headers",
                        400,
                        get("X-Clusterconnect-Cluster: a\r\nX-Clusterconnect-Cluster: b\r\n")),
                Arguments.of("a .. segment", 400, "GET /clusters/a/../b/api/v1/secrets HTTP/1.1\r\nHost: x\r\n\r\n"),
                Arguments.of(
                        "a percent-encoded .. segment",
                        400,
                        "GET /clusters/a/%2E%2e/b/api HTTP/1.1\r\nHost: x\r\n\r\n"),
                Arguments.of("a . segment", 400, "GET /api/./v1/pods HTTP/1.1\r\nHost: x\r\n\r\n"),
                Arguments.of(
                        "an absolute-form target", 400, "GET http://other/api/v1/pods HTTP/1.1\r\nHost: x\r\n\r\n"),
                Arguments.of("an asterisk-form target", 400, "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n"),
                Arguments.of(
                        "a byte above ASCII in the target", 400, "GET /api/v1/caf\u00e9 HTTP/1.1\r\nHost: x\r\n\r\n"),
                Arguments.of("a method that is not a token", 400, "GE(T /api/v1/pods HTTP/1.1\r\nHost: x\r\n\r\n"),
                Arguments.of("HTTP/9.9", 505, "GET /api/v1/pods HTTP/9.9\r\nHost: x\r\n\r\n"),
                Arguments.of("HTTP/2.0 in an HTTP/1 request line", 505, "GET /api/v1/pods HTTP/2.0\r\nHost: x\r\n\r\n"),
                Arguments.of("HTTP/1.2", 505, "GET /api/v1/pods HTTP/1.2\r\nHost: x\r\n\r\n"),
                Arguments.of(
                        "a head over the limit",
                        431,
                        get("X-Filler: " + "a".repeat(KubeServer.MAX_HEADER_BYTES) + "\r\n")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void anAmbiguousOrUnsupportedRequestIsAnsweredWithAStatusAndNeverReachesTheRoute(
            String attack, int code, String request) {
        EmbeddedChannel connection = connection();

        Answer answer = send(connection, request);

        assertThat(answer.statusLine()).startsWith("HTTP/1.1 " + code + " ");
        assertThat(answer.status().path("kind").asText()).isEqualTo("Status");
        assertThat(answer.status().path("code").asInt()).isEqualTo(code);
        assertThat(reached).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void aRefusalClosesTheConnectionSoNothingAfterItIsReadAsARequest(String attack, int code, String request) {
        EmbeddedChannel connection = connection();

        Answer answer = send(connection, request + get(""));

        assertThat(answer.head()).containsIgnoringCase("connection: close");
        assertThat(answer.raw().split("\r\n\r\n", -1))
                .as("one head and one body")
                .hasSize(2);
        assertThat(connection.isOpen()).isFalse();
        assertThat(reached).isEmpty();
    }

    @Test
    void aHeadTooLargeIsAnsweredRequestHeaderFieldsTooLargeWithABadRequestStatus() {
        Answer answer = send(connection(), get("X-Filler: " + "a".repeat(KubeServer.MAX_HEADER_BYTES) + "\r\n"));

        assertThat(answer.statusLine()).isEqualTo("HTTP/1.1 431 Request Header Fields Too Large");
        assertThat(answer.status().path("reason").asText()).isEqualTo("BadRequest");
        assertThat(answer.status().path("message").asText()).isEqualTo("request header fields too large");
    }

    @Test
    void anUnknownHttpVersionIsAnsweredHttpVersionNotSupported() {
        Answer answer = send(connection(), "GET /api/v1/pods HTTP/9.9\r\nHost: x\r\n\r\n");

        assertThat(answer.statusLine()).isEqualTo("HTTP/1.1 505 HTTP Version Not Supported");
        assertThat(answer.status().path("message").asText()).contains("HTTP/1.0", "HTTP/1.1");
    }

    @Test
    void eachRefusalSaysWhichRuleTheRequestBroke() {
        assertThat(messageFor(post("Transfer-Encoding: chunked, identity\r\n"))).contains("Transfer-Encoding");
        assertThat(messageFor(post("Content-Length: 3\r\nContent-Length: 4\r\n")))
                .contains("one Content-Length");
        assertThat(messageFor(post("Content-Length: +3\r\n"))).contains("Content-Length");
        assertThat(messageFor("GET / HTTP/1.1\r\n\r\n")).contains("Host");
        assertThat(messageFor("GET /clusters/a/../b/api HTTP/1.1\r\nHost: x\r\n\r\n"))
                .contains(". or .. segments");
        assertThat(messageFor("GET http://other/api HTTP/1.1\r\nHost: x\r\n\r\n"))
                .contains("a path starting with /");
        assertThat(messageFor(get("X-Clusterconnect-Cluster: a\r\nX-Clusterconnect-Cluster: b\r\n")))
                .contains("one X-Clusterconnect-Cluster header");
    }

    @Test
    void aRefusalIsLoggedWithItsRuleButNeverWithTheCallersToken() {
        try (CapturedLog log = new CapturedLog(EdgeHandler.class)) {
            send(
                    connection(),
                    get("Authorization: Bearer " + SECRET + "\r\nX-Clusterconnect-Request-Id: 0123abcd\r\n"
                            + "X-Clusterconnect-Cluster: a\r\nX-Clusterconnect-Cluster: b\r\n"));
            send(
                    connection(),
                    "GET /?token=" + SECRET + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + SECRET
                            + "\r\nContent-Length: +3\r\n\r\nabc");

            assertThat(log.lines())
                    .anyMatch(line -> line.contains("0123abcd") && line.contains("X-Clusterconnect-Cluster"));
            assertThat(log.lines()).noneMatch(line -> line.contains(SECRET));
        }
    }

    @Test
    void aBadRequestPipelinedBehindAGoodOneIsRefusedOnlyAfterTheGoodOneIsAnswered() {
        EmbeddedChannel connection = connection();

        Answer answer = send(connection, get("") + "GET /api/v1/pods HTTP/9.9\r\nHost: x\r\n\r\n");

        assertThat(answer.raw()).startsWith("HTTP/1.1 200 ");
        assertThat(answer.raw()).contains("\r\n\r\nokHTTP/1.1 505 ");
        assertThat(reached).hasSize(1);
        assertThat(connection.isOpen()).isFalse();
    }

    @Test
    void wellFormedRequestsReachTheRouteAndKeepTheConnection() {
        EmbeddedChannel connection = connection();

        send(connection, get("X-Clusterconnect-Cluster: a\r\n"));
        send(connection, post("Transfer-Encoding: chunked\r\n") + "3\r\nabc\r\n0\r\n\r\n");
        send(connection, post("Transfer-Encoding: Chunked\r\n") + "0\r\n\r\n");
        send(connection, post("Content-Length: 3\r\n") + "abc");
        send(connection, "GET /api/v1/pods?fieldSelector=metadata.name%3D..&x=/../ HTTP/1.1\r\nHost: x\r\n\r\n");
        send(connection, "GET /apis/a.b/v1/x.y/... HTTP/1.1\r\nHost: x\r\n\r\n");
        Answer last = send(connection, "GET /api/v1/pods HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");

        assertThat(last.statusLine()).startsWith("HTTP/1.1 200 ");
        assertThat(reached).hasSize(7);
        assertThat(connection.isOpen()).isTrue();
    }

    private String messageFor(String request) {
        return send(connection(), request).status().path("message").asText();
    }

    private EmbeddedChannel connection() {
        EmbeddedChannel channel = new EmbeddedChannel();
        KubeServer.addHttp(channel.pipeline(), path -> route, () -> false, EdgeLimits.DEFAULTS);
        return channel;
    }

    private static String get(String headers) {
        return "GET /api/v1/pods HTTP/1.1\r\nHost: x\r\n" + headers + "\r\n";
    }

    private static String post(String headers) {
        return "POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: x\r\n" + headers + "\r\n";
    }

    /** Writes the request's bytes, runs what they set off, and collects every byte answered. */
    private static Answer send(EmbeddedChannel connection, String request) {
        connection.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.ISO_8859_1));
        return new Answer(EdgeFuzzTest.drain(connection));
    }

    private record Answer(String raw) {

        String statusLine() {
            return raw.substring(0, Math.max(0, raw.indexOf("\r\n")));
        }

        String head() {
            return raw.substring(0, Math.max(0, raw.indexOf("\r\n\r\n")));
        }

        JsonNode status() {
            try {
                return JSON.readTree(raw.substring(raw.indexOf("\r\n\r\n") + 4));
            } catch (java.io.IOException e) {
                throw new AssertionError("not a JSON body: " + raw, e);
            }
        }
    }
}
