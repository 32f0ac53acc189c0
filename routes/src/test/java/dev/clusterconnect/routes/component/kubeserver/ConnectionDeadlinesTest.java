package dev.clusterconnect.routes.component.kubeserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clusterconnect.routes.http.HttpCall;
import dev.clusterconnect.routes.http.HttpReply;
import dev.clusterconnect.routes.http.ResponseHead;
import dev.clusterconnect.routes.stream.ByteSink;
import dev.clusterconnect.routes.stream.ByteSource;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A connection is timed only between requests: a client that never completes a head, or sits on
 * a kept-alive connection, is closed; a request being served (a watch, an upgraded exec stream)
 * is never cut, however quiet. Time is the embedded channel's, moved by hand.
 */
class ConnectionDeadlinesTest {

    private static final Duration HEADER = Duration.ofSeconds(5);
    private static final Duration IDLE = Duration.ofSeconds(60);
    private static final Duration BODY = Duration.ofSeconds(20);
    /** Far beyond both timeouts: a response open this long must still be open. */
    private static final Duration HOURS = Duration.ofHours(3);

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
            HttpCall call = exchange.getMessage().getBody(HttpCall.class);
            if (call.head().path().contains("echo")) {
                exchange.getMessage().setBody(new HttpReply(ResponseHead.of(200), call.body()));
            } else if (call.head().isUpgrade()) {
                exchange.getMessage().setBody(new HttpReply(ResponseHead.of(101), NEVER_ENDING));
            } else if (call.head().path().contains("watch")) {
                exchange.getMessage().setBody(new HttpReply(ResponseHead.of(200), NEVER_ENDING));
            } else {
                exchange.getMessage().setBody("ok".getBytes(StandardCharsets.UTF_8));
            }
        });
        route.setRouteId("edge-deadlines");
        route.build();
    }

    @AfterEach
    void stopRoute() {
        camel.stop();
    }

    @Test
    void aConnectionThatSendsNothingIsClosedAfterTheHeaderTimeout() {
        EmbeddedChannel connection = connection();

        advance(connection, HEADER.minusSeconds(1));
        assertThat(connection.isOpen()).isTrue();
        advance(connection, Duration.ofSeconds(1));

        assertThat(connection.isOpen()).isFalse();
    }

    @Test
    void aConnectionThatSendsHalfAHeadIsClosedAfterTheHeaderTimeout() {
        EmbeddedChannel connection = connection();

        send(connection, "GET /api/v1/pods HTTP/1.1\r\nHost: x\r\nAccept: appl");
        advance(connection, HEADER);

        assertThat(connection.isOpen()).isFalse();
        assertThat(answer(connection)).as("closed, unanswered").isEmpty();
    }

    @Test
    void aHeadTrickledInByteByByteGetsNoMoreTimeThanTheHeaderTimeout() {
        EmbeddedChannel connection = connection();

        for (char c : "GET /api/v1/pods HTTP/1.1\r\nHost: x\r\n".toCharArray()) {
            send(connection, String.valueOf(c));
            advance(connection, Duration.ofMillis(100));
        }
        advance(connection, HEADER);

        assertThat(connection.isOpen()).isFalse();
    }

    @Test
    void anIdleKeptAliveConnectionStaysForTheIdleTimeoutThenCloses() {
        EmbeddedChannel connection = connection();
        send(connection, get("/api/v1/pods"));
        assertThat(answer(connection)).startsWith("HTTP/1.1 200 ");

        advance(connection, IDLE.minusSeconds(1));
        assertThat(connection.isOpen())
                .as("kept for the next request past the header timeout")
                .isTrue();
        advance(connection, Duration.ofSeconds(1));

        assertThat(connection.isOpen()).isFalse();
    }

    @Test
    void theNextRequestOnAKeptConnectionIsServedAndRestartsTheClock() {
        EmbeddedChannel connection = connection();
        send(connection, get("/api/v1/pods"));
        answer(connection);
        advance(connection, IDLE.minusSeconds(1));

        send(connection, get("/api/v1/pods"));
        assertThat(answer(connection)).startsWith("HTTP/1.1 200 ");
        advance(connection, IDLE.minusSeconds(1));

        assertThat(connection.isOpen()).isTrue();
    }

    @Test
    void aHalfHeadAfterAnIdleGapIsDueWithinTheHeaderTimeoutNotTheIdleOne() {
        EmbeddedChannel connection = connection();
        send(connection, get("/api/v1/pods"));
        answer(connection);

        send(connection, "GET /api/v1/pods HTTP/1.1\r\n");
        advance(connection, HEADER);

        assertThat(connection.isOpen()).isFalse();
    }

    @Test
    void aWatchThatStaysQuietForHoursIsNeverCut() {
        EmbeddedChannel connection = connection();
        send(connection, get("/api/v1/watch/pods"));
        assertThat(answer(connection)).startsWith("HTTP/1.1 200 ");

        advance(connection, HOURS);

        assertThat(connection.isOpen()).isTrue();
    }

    @Test
    void anUpgradedConnectionThatStaysQuietForHoursIsNeverCut() {
        EmbeddedChannel connection = connection();
        send(connection, get("/api/v1/namespaces/default/pods/p/exec", "Connection: Upgrade\r\nUpgrade: SPDY/3.1\r\n"));
        assertThat(answer(connection)).startsWith("HTTP/1.1 101 ");

        advance(connection, HOURS);

        assertThat(connection.isOpen()).isTrue();
    }

    @Test
    void aBodyThatStopsHalfwayIsClosedAfterTheBodyTimeout() {
        EmbeddedChannel connection = connection();
        send(connection, post("/echo", 10) + "abc");
        assertThat(answer(connection)).startsWith("HTTP/1.1 200 ");

        advance(connection, BODY.minusSeconds(1));
        assertThat(connection.isOpen()).isTrue();
        advance(connection, Duration.ofSeconds(1));

        assertThat(connection.isOpen()).isFalse();
    }

    @Test
    void aBodyThatKeepsMovingIsTimedPerPauseNotAsAWhole() {
        EmbeddedChannel connection = connection();
        send(connection, post("/echo", 10));
        for (char c : "0123456789".toCharArray()) {
            advance(connection, BODY.minusSeconds(1));
            send(connection, String.valueOf(c));
        }

        assertThat(answer(connection))
                .startsWith("HTTP/1.1 200 ")
                .contains("\r\n9\r\n")
                .endsWith("\r\n0\r\n\r\n");
        assertThat(connection.isOpen()).as("open after the body").isTrue();
        advance(connection, IDLE.minusSeconds(1));
        assertThat(connection.isOpen())
                .as("kept alive: the body timer ended with the body")
                .isTrue();
    }

    @Test
    void aPauseWhileTheServerIsNotReadingIsNotTheClients() {
        EmbeddedChannel connection = connection();
        send(connection, post("/echo", 10) + "abc");
        answer(connection);
        connection.config().setAutoRead(false); // back pressure: the upstream takes no more now

        advance(connection, BODY.multipliedBy(3));
        assertThat(connection.isOpen()).isTrue();
        connection.config().setAutoRead(true);
        advance(connection, BODY);

        assertThat(connection.isOpen())
                .as("reading again, and the client still sends nothing")
                .isFalse();
    }

    @Test
    void zeroTurnsEachTimeoutOff() {
        EmbeddedChannel silent = connection(new EdgeLimits(Duration.ZERO, Duration.ZERO, Duration.ZERO, 0));
        EmbeddedChannel idle = connection(new EdgeLimits(Duration.ZERO, Duration.ZERO, Duration.ZERO, 0));
        EmbeddedChannel stalled = connection(new EdgeLimits(Duration.ZERO, Duration.ZERO, Duration.ZERO, 0));
        send(idle, get("/api/v1/pods"));
        answer(idle);
        send(stalled, post("/echo", 10) + "abc");

        advance(silent, HOURS);
        advance(idle, HOURS);
        advance(stalled, HOURS);

        assertThat(silent.isOpen()).isTrue();
        assertThat(idle.isOpen()).isTrue();
        assertThat(stalled.isOpen()).isTrue();
    }

    private EmbeddedChannel connection() {
        return connection(new EdgeLimits(HEADER, IDLE, BODY, 0));
    }

    private EmbeddedChannel connection(EdgeLimits limits) {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.freezeTime();
        KubeServer.addHttp(channel.pipeline(), path -> route, () -> false, limits);
        return channel;
    }

    private static void advance(EmbeddedChannel connection, Duration by) {
        connection.advanceTimeBy(by.toNanos(), TimeUnit.NANOSECONDS);
        connection.runScheduledPendingTasks();
        connection.runPendingTasks();
    }

    private static String post(String path, int length) {
        return "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + length + "\r\n\r\n";
    }

    private static String get(String path) {
        return get(path, "");
    }

    private static String get(String path, String headers) {
        return "GET " + path + " HTTP/1.1\r\nHost: x\r\n" + headers + "\r\n";
    }

    private static void send(EmbeddedChannel connection, String bytes) {
        connection.writeInbound(Unpooled.copiedBuffer(bytes, StandardCharsets.ISO_8859_1));
        connection.runPendingTasks();
    }

    private static String answer(EmbeddedChannel connection) {
        return PlainHttp.written(connection);
    }

    /** A response body that never sends a byte nor ends: a watch with no events, an exec with no output. */
    private static final ByteSource NEVER_ENDING = new ByteSource() {
        @Override
        public void start(ByteSink sink) {}

        @Override
        public void cancel(String reason) {}
    };
}
