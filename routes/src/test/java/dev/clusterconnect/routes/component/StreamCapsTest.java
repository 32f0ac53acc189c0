package dev.clusterconnect.routes.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.clusterconnect.routes.ClusterConnectHeaders;
import dev.clusterconnect.routes.component.kubeclient.Upstream;
import dev.clusterconnect.routes.component.tunnel.AgentRegistry;
import dev.clusterconnect.routes.component.tunnel.TunnelComponent;
import dev.clusterconnect.routes.http.HttpCall;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The relay opens at most so many streams into one tunnel and for one user: over a cap the
 * request is answered 429 with Retry-After and a Status naming the cap, and every stream gives
 * its place back however it ends (its response ended, its client went away, its tunnel closed).
 */
class StreamCapsTest {

    private static final int PER_TUNNEL = 3;
    private static final int PER_USER = 2;

    private HttpServer upstream;
    private CamelContext relay;
    private CamelContext agent;
    private int relayPort;
    private final CountDownLatch releaseHolds = new CountDownLatch(1);
    private final List<InputStream> held = new ArrayList<>();
    private final HttpClient client =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void startChain() throws Exception {
        upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        upstream.createContext("/hello", exchange -> {
            byte[] body = "hi".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        // A watch: one event at once, then quiet until the test lets it end.
        upstream.createContext("/hold", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write("event 0\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                releaseHolds.await();
            } catch (Exception clientGone) {
                // the stream was reset: nothing more to send
            }
        });
        upstream.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        upstream.start();

        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            relayPort = probe.getLocalPort();
        }
        relay = new DefaultCamelContext();
        // Stands in for the relay's authentication: the user a request counts for.
        relay.getRegistry().bind("router", (org.apache.camel.Processor) exchange -> {
            HttpCall call = exchange.getMessage().getBody(HttpCall.class);
            exchange.getMessage()
                    .setHeader(ClusterConnectHeaders.USER, call.head().headers().get("X-Test-User"));
            call.head(call.head().withTarget(call.head().target().substring("/clusters/c1".length())));
            exchange.getMessage().setHeader(ClusterConnectHeaders.CLUSTER_ID, "c1");
        });
        relay.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("kubeserver:127.0.0.1:" + relayPort + "/agent/v1/connect")
                        .routeId("accept")
                        .setHeader(ClusterConnectHeaders.CLUSTER_ID, constant("c1"))
                        .to("tunnel:agents?operation=accept");
                from("kubeserver:127.0.0.1:" + relayPort + "/clusters")
                        .routeId("clients")
                        .process("router")
                        .to("tunnel:agents?maxStreamsPerTunnel=" + PER_TUNNEL + "&maxStreamsPerUser=" + PER_USER);
            }
        });
        relay.start();
        startAgent();
    }

    private void startAgent() throws Exception {
        agent = new DefaultCamelContext();
        agent.getRegistry()
                .bind(
                        "upstream",
                        Upstream.of(
                                URI.create("http://127.0.0.1:"
                                        + upstream.getAddress().getPort()),
                                null));
        agent.getRegistry().bind("creds", (java.util.function.Supplier<Map<String, String>>) Map::of);
        agent.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("tunnel:relay?url=ws://127.0.0.1:" + relayPort
                                + "/agent/v1/connect&clusterId=c1&credentials=#creds")
                        .routeId("agent")
                        .to("kubeclient:up?upstream=#upstream");
            }
        });
        agent.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> registry().isConnected("c1"));
    }

    @AfterEach
    void stopChain() throws Exception {
        releaseHolds.countDown();
        for (InputStream body : held) {
            body.close();
        }
        agent.stop();
        relay.stop();
        upstream.stop(0);
    }

    @Test
    void aUserOverTheirCapIsAnsweredTooManyRequestsNamingTheUserCapWhileOthersAreServed() throws Exception {
        hold("alice");
        hold("alice");

        HttpResponse<String> third = get("alice", "/hold");

        assertThat(third.statusCode()).isEqualTo(429);
        assertThat(third.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(third.body())
                .contains("\"reason\":\"TooManyRequests\"", "user alice", "at most " + PER_USER + " streams per user");
        assertThat(get("bob", "/hello").statusCode()).isEqualTo(200);
    }

    @Test
    void aTunnelAtItsCapAnswersTooManyRequestsNamingTheTunnelCap() throws Exception {
        hold("alice");
        hold("bob");
        hold("carol");

        HttpResponse<String> fourth = get("dave", "/hello");

        assertThat(fourth.statusCode()).isEqualTo(429);
        assertThat(fourth.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(fourth.body()).contains("tunnel carries at most " + PER_TUNNEL + " streams");
    }

    @Test
    void aStreamWhoseClientWentAwayGivesItsPlaceBack() throws Exception {
        InputStream first = hold("alice");
        hold("alice");

        first.close();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> streamsOf("alice") == 1 && registry().openStreams() == 1);

        assertThat(get("alice", "/hello").statusCode()).isEqualTo(200);
    }

    @Test
    void everyEndGivesThePlacesBackSoTheCountsReturnToZero() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(get("alice", "/hello").statusCode())
                    .as("responses that end")
                    .isEqualTo(200);
        }
        hold("alice").close(); // the client went away
        hold("bob");
        releaseHolds.countDown(); // the upstream ended a long response
        await().atMost(Duration.ofSeconds(10)).until(() -> registry().openStreams() == 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> streamsOf("alice") == 0 && streamsOf("bob") == 0);
    }

    @Test
    void aTunnelThatClosesGivesBackThePlacesOfItsStreams() throws Exception {
        hold("alice");
        hold("alice");

        agent.stop();

        await().atMost(Duration.ofSeconds(10)).until(() -> streamsOf("alice") == 0);
        startAgent();
        assertThat(get("alice", "/hello").statusCode()).isEqualTo(200);
    }

    /** Opens a watch-like request as {@code user} and reads its first event: the stream is open. */
    private InputStream hold(String user) throws Exception {
        HttpResponse<InputStream> response =
                client.send(request(user, "/hold"), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        InputStream body = response.body();
        held.add(body);
        StringBuilder line = new StringBuilder();
        for (int b = body.read(); b != '\n'; b = body.read()) {
            assertThat(b).as("the first event").isNotNegative();
            line.append((char) b);
        }
        assertThat(line).hasToString("event 0");
        return body;
    }

    private HttpResponse<String> get(String user, String path) throws Exception {
        return client.send(request(user, path), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(String user, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + relayPort + "/clusters/c1" + path))
                .header("X-Test-User", user)
                .build();
    }

    private int streamsOf(String user) {
        return relay.getComponent("tunnel", TunnelComponent.class).streamsOfUser("agents", user);
    }

    private AgentRegistry registry() {
        return relay.getComponent("tunnel", TunnelComponent.class).registry("agents");
    }
}
