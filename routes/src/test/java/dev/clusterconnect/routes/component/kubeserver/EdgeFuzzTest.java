package dev.clusterconnect.routes.component.kubeserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clusterconnect.routes.http.AccessLog;
import dev.clusterconnect.routes.http.DotSegments;
import dev.clusterconnect.routes.http.HttpCall;
import dev.clusterconnect.routes.http.RequestHead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * Any bytes a client can send, through the edge every app listens with: Netty's request decoder,
 * our head checks and the edge handler, in an {@link EmbeddedChannel} with a real consumer behind
 * them (the route answers 200 "ok"), on the relay's path prefixes. Whatever arrives, the client
 * gets well-formed responses, every refusal a Kubernetes Status; nothing unexpected is thrown;
 * and a request the route sees has one reading only: a token method, a path no hop resolves to
 * another (so it stays under the prefix it was routed by) and a body whose end is beyond doubt.
 * The corpus is in {@code EdgeFuzzTestInputs/}; {@code bin/fuzz --only edge} looks for more.
 */
class EdgeFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> PREFIXES = List.of("/clusters", "/api/v1", "/agent/v1/connect", "/healthz");
    private static final Route ROUTE = new Route();
    // compiled once: the run's time is the inputs', not the assertions'
    private static final Pattern RESPONSE_HEAD =
            Pattern.compile("(?s)HTTP/1\\.1 [1-5][0-9]{2} [^\r\n]*(\r\n[!-9;-~]+: [^\r\n]*)*");
    private static final Pattern CONTENT_LENGTH = Pattern.compile("content-length: ([0-9]+)");
    private static final Pattern LENGTH = Pattern.compile("[0-9]{1,18}");

    @FuzzTest(maxDuration = "10m")
    void anyBytesAreServedOrRefusedWithAStatusAndWhatReachesTheRouteHasOneReading(byte[] input) {
        ROUTE.reset();
        EmbeddedChannel connection = new EmbeddedChannel();
        KubeServer.addHttp(connection.pipeline(), ROUTE::routeFor, () -> false, EdgeLimits.DEFAULTS);
        // Two writes, split where the input says: a head may arrive in pieces.
        int split = input.length == 0 ? 0 : (input[0] & 0xFF) % (input.length + 1);
        connection.writeInbound(Unpooled.wrappedBuffer(input, 0, split));
        if (connection.isOpen()) {
            connection.writeInbound(Unpooled.wrappedBuffer(input, split, input.length - split));
        }
        String answered = drain(connection);
        connection.finishAndReleaseAll();

        assertThat(ROUTE.failures).as("unexpected exceptions").isEmpty();
        List<Response> responses = Response.parseAll(answered);
        long served = responses.stream().filter(r -> r.status == 200).count();
        assertThat(served).as("every request the route saw was answered by it").isEqualTo(ROUTE.reached.size());
        for (int i = 0; i < responses.size(); i++) {
            Response response = responses.get(i);
            if (response.status != 200) {
                assertIsStatus(response);
                if (response.status != 404) {
                    assertThat(i)
                            .as("a refusal is the connection's last response")
                            .isEqualTo(responses.size() - 1);
                    assertThat(response.head.toLowerCase(Locale.ROOT)).contains("connection: close");
                }
            }
        }
        for (int i = 0; i < ROUTE.reached.size(); i++) {
            assertOneReading(ROUTE.reached.get(i).head(), ROUTE.routedPaths.get(i));
        }
    }

    private static void assertIsStatus(Response response) {
        assertThat(response.status).as(response.head).isIn(400, 404, 431, 505);
        assertThat(response.head).containsIgnoringCase("content-type: application/json");
        if (response.body.isEmpty()) {
            return; // a HEAD request's answer
        }
        JsonNode status = parse(response.body);
        assertThat(status.path("kind").asText()).isEqualTo("Status");
        assertThat(status.path("status").asText()).isEqualTo("Failure");
        assertThat(status.path("code").asInt()).isEqualTo(response.status);
        assertThat(status.path("message").asText()).isNotBlank();
    }

    private static void assertOneReading(RequestHead head, String routedPath) {
        assertThat(isToken(head.method())).as("method %s", head.method()).isTrue();
        String target = head.target();
        assertThat(target).startsWith("/");
        assertThat(target.chars().allMatch(c -> c > ' ' && c < 0x7F))
                .as("target %s is visible ASCII", target)
                .isTrue();
        String path = DotSegments.pathOf(target);
        assertThat(routedPath).isEqualTo(path);
        assertThat(DotSegments.resolve(path))
                .as("a hop resolving dot segments serves the routed path")
                .isEqualTo(path);
        String prefix = prefixOf(path);
        assertThat(prefix).isNotNull();
        assertThat(prefixOf(DotSegments.resolve(path)))
                .as("the resolved path stays under its prefix")
                .isEqualTo(prefix);
        HttpHeaders headers = head.headers();
        List<String> lengths = headers.getAll(HttpHeaderNames.CONTENT_LENGTH);
        List<String> codings = headers.getAll(HttpHeaderNames.TRANSFER_ENCODING);
        assertThat(lengths.isEmpty() || codings.isEmpty())
                .as("Content-Length and Transfer-Encoding")
                .isTrue();
        assertThat(lengths)
                .hasSizeLessThanOrEqualTo(1)
                .allMatch(length -> LENGTH.matcher(length.trim()).matches());
        assertThat(codings)
                .hasSizeLessThanOrEqualTo(1)
                .allMatch(coding -> coding.trim().equalsIgnoreCase("chunked"));
        assertThat(headers.getAll(HttpHeaderNames.HOST)).hasSizeLessThanOrEqualTo(1);
    }

    /** The relay's routing: the longest prefix the path equals or continues with a '/'. */
    static String prefixOf(String path) {
        String best = null;
        for (String prefix : PREFIXES) {
            boolean under = path.equals(prefix) || path.startsWith(prefix + "/");
            if (under && (best == null || prefix.length() > best.length())) {
                best = prefix;
            }
        }
        return best;
    }

    private static boolean isToken(String value) {
        return !value.isEmpty()
                && value.chars().allMatch(c -> c > ' ' && c < 0x7F && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0);
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new AssertionError("not a JSON body: " + body, e);
        }
    }

    /** Runs what the input set off and collects every byte answered (EdgeStrictnessTest's too). */
    static String drain(EmbeddedChannel connection) {
        StringBuilder out = new StringBuilder();
        boolean progressed = true;
        while (progressed) {
            connection.runPendingTasks();
            progressed = false;
            for (Object written = connection.readOutbound(); written != null; written = connection.readOutbound()) {
                ByteBuf bytes = (ByteBuf) written;
                out.append(bytes.toString(StandardCharsets.ISO_8859_1));
                bytes.release();
                progressed = true;
            }
        }
        return out.toString();
    }

    /** One consumer behind every prefix, built once: a Camel context per input would be all the fuzzer measures. */
    private static final class Route {

        final List<HttpCall> reached = new ArrayList<>();
        final List<String> routedPaths = new ArrayList<>();
        final List<String> failures;
        private final KubeServerConsumer consumer;
        private final List<String> pendingPaths = new ArrayList<>();

        Route() {
            // the access log writes a line per request under a logger of its own
            failures = QuietLog.capturingFailures("dev.clusterconnect.routes", AccessLog.LOGGER);
            try {
                DefaultCamelContext camel = new DefaultCamelContext();
                camel.start();
                KubeServerComponent component = new KubeServerComponent();
                component.setCamelContext(camel);
                KubeServerEndpoint endpoint =
                        new KubeServerEndpoint("kubeserver:localhost:0", component, "localhost", 0, "/");
                consumer = new KubeServerConsumer(endpoint, exchange -> {
                    HttpCall call = exchange.getMessage().getBody(HttpCall.class);
                    reached.add(call);
                    routedPaths.add(pendingPaths.isEmpty() ? null : pendingPaths.remove(0));
                    exchange.getMessage().setBody("ok".getBytes(StandardCharsets.UTF_8));
                });
                consumer.setRouteId("edge-fuzz");
                consumer.build();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        KubeServerConsumer routeFor(String path) {
            if (prefixOf(path) == null) {
                return null;
            }
            pendingPaths.add(path);
            return consumer;
        }

        void reset() {
            reached.clear();
            routedPaths.clear();
            pendingPaths.clear();
            failures.clear();
        }
    }

    /** A response as the client reads it; bodies here never start with "HTTP/", so a bodiless HEAD answer is told apart. */
    private record Response(int status, String head, String body) {

        static List<Response> parseAll(String raw) {
            List<Response> responses = new ArrayList<>();
            int at = 0;
            while (at < raw.length()) {
                int headEnd = raw.indexOf("\r\n\r\n", at);
                assertThat(headEnd)
                        .as("a complete response head in %s", raw.substring(at))
                        .isGreaterThan(0);
                String head = raw.substring(at, headEnd);
                assertThat(RESPONSE_HEAD.matcher(head).matches())
                        .as("a well-formed response head: %s", head)
                        .isTrue();
                int status = Integer.parseInt(head.substring(9, 12));
                at = headEnd + 4;
                String lower = head.toLowerCase(Locale.ROOT);
                String body;
                if (at == raw.length() || raw.startsWith("HTTP/", at)) {
                    body = "";
                } else if (lower.contains("transfer-encoding: chunked")) {
                    StringBuilder chunks = new StringBuilder();
                    while (true) {
                        int sizeEnd = raw.indexOf("\r\n", at);
                        assertThat(sizeEnd).as("a chunk size").isGreaterThan(0);
                        int size = Integer.parseInt(raw.substring(at, sizeEnd), 16);
                        at = sizeEnd + 2;
                        if (size == 0) {
                            assertThat(raw.startsWith("\r\n", at))
                                    .as("the last chunk")
                                    .isTrue();
                            at += 2;
                            break;
                        }
                        chunks.append(raw, at, at + size);
                        at += size + 2;
                    }
                    body = chunks.toString();
                } else {
                    Matcher length = CONTENT_LENGTH.matcher(lower);
                    assertThat(length.find())
                            .as("a body of known length: %s", head)
                            .isTrue();
                    int bytes = Integer.parseInt(length.group(1));
                    assertThat(at + bytes).isLessThanOrEqualTo(raw.length());
                    body = raw.substring(at, at + bytes);
                    at += bytes;
                }
                responses.add(new Response(status, head, body));
            }
            return responses;
        }
    }
}
