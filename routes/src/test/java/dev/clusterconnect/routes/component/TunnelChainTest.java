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
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The relay and agent hops over a real tunnel, with plain HTTP at both ends. */
class TunnelChainTest {

    private HttpServer upstream;
    private CamelContext relay;
    private CamelContext agent;
    private int relayPort;
    private final AtomicInteger openWatches = new AtomicInteger();
    private final CountDownLatch watchClosed = new CountDownLatch(1);
    private final HttpClient client =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void startChain() throws Exception {
        upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        upstream.createContext("/hello", exchange -> {
            byte[] body = ("hi " + exchange.getRequestURI().getQuery()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        upstream.createContext("/echo", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        upstream.createContext("/watch", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            openWatches.incrementAndGet();
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 10_000; i++) {
                    out.write(("event " + i + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    Thread.sleep(20);
                }
            } catch (Exception clientGone) {
                watchClosed.countDown();
            } finally {
                openWatches.decrementAndGet();
            }
        });
        upstream.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        upstream.start();

        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            relayPort = probe.getLocalPort();
        }
        relay = new DefaultCamelContext();
        relay.getRegistry().bind("router", (org.apache.camel.Processor) exchange -> {
            HttpCall call = exchange.getMessage().getBody(HttpCall.class);
            String target = call.head().target().substring("/clusters/c1".length());
            call.head(call.head().withTarget(target));
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
                        .to("tunnel:agents");
            }
        });
        relay.start();

        startAgent(Upstream.of(
                URI.create("http://127.0.0.1:" + upstream.getAddress().getPort()), null));
    }

    private void startAgent(Upstream target) throws Exception {
        agent = new DefaultCamelContext();
        agent.getRegistry().bind("upstream", target);
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
    void stopChain() {
        agent.stop();
        relay.stop();
        upstream.stop(0);
    }

    private AgentRegistry registry() {
        return relay.getComponent("tunnel", TunnelComponent.class).registry("agents");
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + relayPort + "/clusters/c1" + path);
    }

    @Test
    void aRequestCrossesTheTunnelAndBack() throws Exception {
        HttpResponse<String> response =
                client.send(HttpRequest.newBuilder(url("/hello?x=1")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("hi x=1");
    }

    @Test
    void aLargeRequestBodyArrivesWholeAndInOrder() throws Exception {
        byte[] body = new byte[5 * 1024 * 1024];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (i * 31 + (i >> 12));
        }
        HttpResponse<byte[]> response = client.send(
                HttpRequest.newBuilder(url("/echo"))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(body);
    }

    @Test
    void manyConcurrentRequestsShareOneTunnel() throws Exception {
        var futures = new java.util.ArrayList<java.util.concurrent.CompletableFuture<HttpResponse<String>>>();
        for (int i = 0; i < 50; i++) {
            futures.add(client.sendAsync(
                    HttpRequest.newBuilder(url("/hello?n=" + i)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        for (int i = 0; i < 50; i++) {
            assertThat(futures.get(i).get(20, TimeUnit.SECONDS).body()).isEqualTo("hi n=" + i);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> registry().openStreams() == 0);
    }

    @Test
    void watchEventsArriveBeforeTheResponseEndsAndClosingCancelsUpstream() throws Exception {
        HttpResponse<InputStream> response =
                client.send(HttpRequest.newBuilder(url("/watch")).build(), HttpResponse.BodyHandlers.ofInputStream());
        try (var reader =
                new java.io.BufferedReader(new java.io.InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            assertThat(reader.readLine()).isEqualTo("event 0");
            assertThat(reader.readLine()).isEqualTo("event 1");
        }
        // Closing the client's connection must travel back: relay -> RESET -> agent closes upstream.
        assertThat(watchClosed.await(15, TimeUnit.SECONDS)).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> registry().openStreams() == 0);
    }

    @Test
    void anUpgradedConnectionCarriesBytesBothWays() throws Exception {
        try (java.net.ServerSocket raw = new java.net.ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
            agent.stop();
            await().atMost(Duration.ofSeconds(10)).until(() -> !registry().isConnected("c1"));
            startAgent(Upstream.of(URI.create("http://127.0.0.1:" + raw.getLocalPort()), null));
            Thread server = new Thread(() -> upgradeAndEcho(raw));
            server.setDaemon(true);
            server.start();
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", relayPort)) {
                socket.setSoTimeout(10_000);
                OutputStream out = socket.getOutputStream();
                out.write(
                        ("GET /clusters/c1/exec HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = socket.getInputStream();
                String head = readHead(in);
                assertThat(head).startsWith("HTTP/1.1 101");
                for (int i = 0; i < 20; i++) {
                    byte[] ping = ("ping " + i + "\n").getBytes(StandardCharsets.US_ASCII);
                    out.write(ping);
                    out.flush();
                    assertThat(in.readNBytes(ping.length)).isEqualTo(ping);
                }
            }
        }
    }

    @Test
    void pipelinedRequestsOnOneConnectionAreAnsweredInOrder() throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", relayPort)) {
            socket.setSoTimeout(10_000);
            String request = "GET /clusters/c1/hello?n=%d HTTP/1.1\r\nHost: x\r\n\r\n";
            socket.getOutputStream()
                    .write((request.formatted(1) + request.formatted(2) + request.formatted(3))
                            .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            for (int n = 1; n <= 3; n++) {
                String head = readHead(in);
                assertThat(head).startsWith("HTTP/1.1 200");
                assertThat(new String(in.readNBytes(("hi n=" + n).length()), StandardCharsets.US_ASCII))
                        .isEqualTo("hi n=" + n);
            }
        }
    }

    private static String readHead(InputStream in) throws java.io.IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }

    private static void upgradeAndEcho(java.net.ServerSocket raw) {
        try (java.net.Socket socket = raw.accept()) {
            readHead(socket.getInputStream());
            socket.getOutputStream()
                    .write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
            socket.getInputStream().transferTo(socket.getOutputStream());
        } catch (java.io.IOException ignored) {
            // the test ended
        }
    }

    @Test
    void theAgentReconnectsWhenItsTunnelDies() throws Exception {
        var first = registry().pick("c1");
        first.close();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> registry().pick("c1") != null && registry().pick("c1") != first);
        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(url("/hello?again=1")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.body()).isEqualTo("hi again=1");
    }

    @Test
    void anUnknownClusterGets503WithAStatusBody() throws Exception {
        agent.stop();
        await().atMost(Duration.ofSeconds(5)).until(() -> !registry().isConnected("c1"));
        HttpResponse<String> response =
                client.send(HttpRequest.newBuilder(url("/hello")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).contains("\"kind\":\"Status\"").contains("not connected");
    }
}
