package dev.clusterconnect.routes.component.kubeserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.AsyncProcessorSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A route with {@code maxConcurrentRequests} (the relay's agent handshakes) answers the request
 * over its cap with 429, {@code Retry-After: 1} and a Status, before the route runs; once a
 * request in progress is answered, the next one is served again.
 */
class ConcurrentRequestsCapTest {

    private final List<Pending> pending = new CopyOnWriteArrayList<>();
    private DefaultCamelContext camel;
    private KubeServerConsumer route;

    private record Pending(Exchange exchange, AsyncCallback callback) {}

    @BeforeEach
    void startRoute() throws Exception {
        camel = new DefaultCamelContext();
        camel.start();
        KubeServerComponent component = new KubeServerComponent();
        component.setCamelContext(camel);
        KubeServerEndpoint endpoint = new KubeServerEndpoint(
                "kubeserver:localhost:0/agent/v1/connect", component, "localhost", 0, "/agent/v1/connect");
        endpoint.setMaxConcurrentRequests(2);
        // Holds every exchange until the test completes it: a handshake still in progress.
        AsyncProcessor holding = new AsyncProcessorSupport() {
            @Override
            public boolean process(Exchange exchange, AsyncCallback callback) {
                pending.add(new Pending(exchange, callback));
                return false;
            }
        };
        route = new KubeServerConsumer(endpoint, holding);
        route.setRouteId("capped-handshakes");
        route.build();
    }

    @AfterEach
    void stopRoute() {
        camel.stop();
    }

    @Test
    void theRequestOverTheCapIsAnsweredTooManyRequestsWithRetryAfterAndNeverReachesTheRoute() {
        send(connection());
        send(connection());

        String answer = send(connection());

        assertThat(answer).startsWith("HTTP/1.1 429 Too Many Requests\r\n");
        assertThat(answer).containsIgnoringCase("retry-after: 1\r\n");
        assertThat(answer)
                .contains(
                        "\"kind\":\"Status\"",
                        "\"reason\":\"TooManyRequests\"",
                        "\"retryAfterSeconds\":1",
                        "at most 2 requests to /agent/v1/connect");
        assertThat(pending).hasSize(2);
    }

    @Test
    void onceARequestInProgressIsAnsweredTheNextIsServedAndTheCountReturnsToZero() {
        send(connection());
        send(connection());
        assertThat(send(connection())).startsWith("HTTP/1.1 429 ");

        complete(pending.get(0));
        EmbeddedChannel next = connection();
        send(next);

        assertThat(pending).hasSize(3);
        complete(pending.get(1));
        complete(pending.get(2));
        assertThat(route.inProgress()).isZero();
    }

    private static void complete(Pending held) {
        held.exchange().getMessage().setBody("ok");
        held.callback().done(false);
    }

    private EmbeddedChannel connection() {
        EmbeddedChannel channel = new EmbeddedChannel();
        KubeServer.addHttp(channel.pipeline(), path -> route, () -> false, EdgeLimits.DEFAULTS);
        return channel;
    }

    private static String send(EmbeddedChannel connection) {
        connection.writeInbound(Unpooled.copiedBuffer(
                "GET /agent/v1/connect HTTP/1.1\r\nHost: relay\r\n\r\n", StandardCharsets.ISO_8859_1));
        return PlainHttp.written(connection);
    }
}
