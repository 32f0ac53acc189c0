package dev.clusterconnect.routes.component.kubeserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.EventHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Once the context begins to stop its routes, no request enters one: a route stopped or stopping
 * would answer it wrongly, or hold the event loop (a {@code direct:} call waiting for a stopped
 * consumer, which BlockHound caught once in a relay's rolling restart). The socket stops taking
 * connections, and a request read as it closed is answered 503 with {@code Retry-After}, which
 * client-go retries.
 */
class RoutesStoppingTest {

    private final AtomicInteger served = new AtomicInteger();
    private DefaultCamelContext camel;

    @AfterEach
    void stop() {
        camel.stop();
    }

    @Test
    void onceTheRoutesStopNoRequestEntersOneAndEachIsAnsweredServiceUnavailableWithRetryAfter() throws Exception {
        camel = new DefaultCamelContext();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("kubeserver:127.0.0.1:0/")
                        .routeId("served")
                        .process(exchange -> served.incrementAndGet())
                        .setBody(constant("ok"));
            }
        });
        camel.start();
        KubeServerEndpoint endpoint =
                (KubeServerEndpoint) camel.getRoute("served").getEndpoint();
        int port = endpoint.boundPort();
        assertThat(getOverSocket(port)).startsWith("HTTP/1.1 200 ");
        KubeServer server = endpoint.getComponent().server("127.0.0.1", 0).orElseThrow();

        EventHelper.notifyCamelContextRoutesStopping(camel);

        await().atMost(Duration.ofSeconds(10)).until(() -> !accepts(port));
        String answer = getThrough(server);
        assertThat(answer).startsWith("HTTP/1.1 503 Service Unavailable\r\n");
        assertThat(answer).containsIgnoringCase("retry-after: 1\r\n");
        assertThat(answer).contains("\"kind\":\"Status\"", "\"reason\":\"ServiceUnavailable\"", "shutting down");
        assertThat(served).as("requests that reached the route").hasValue(1);
    }

    private static boolean accepts(int port) {
        try {
            return getOverSocket(port).startsWith("HTTP/1.1 ");
        } catch (IOException refused) {
            return false;
        }
    }

    private static String getOverSocket(int port) throws IOException {
        return PlainHttp.get(port, "server", "/things");
    }

    /** A request whose head the server reads as it closes: through the server's own router. */
    private static String getThrough(KubeServer server) {
        EmbeddedChannel connection = new EmbeddedChannel();
        KubeServer.addHttp(
                connection.pipeline(), (head, channel) -> server.route(head, channel), () -> true, EdgeLimits.DEFAULTS);
        connection.writeInbound(
                Unpooled.copiedBuffer("GET /things HTTP/1.1\r\nHost: server\r\n\r\n", StandardCharsets.ISO_8859_1));
        return PlainHttp.written(connection);
    }
}
