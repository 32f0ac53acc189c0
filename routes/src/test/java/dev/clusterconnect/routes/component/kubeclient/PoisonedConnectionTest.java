package dev.clusterconnect.routes.component.kubeclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.clusterconnect.routes.http.HttpCall;
import dev.clusterconnect.routes.http.HttpReply;
import dev.clusterconnect.routes.http.RequestHead;
import dev.clusterconnect.routes.http.RequestIds;
import dev.clusterconnect.routes.stream.ByteSink;
import dev.clusterconnect.routes.stream.ByteSource;
import dev.clusterconnect.routes.stream.CollectedBody;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An upstream that answers one request badly must not spoil the next: a connection goes back to
 * the pool only after a complete, well-framed exchange, and the next ordinary GET is answered, on
 * a new connection when the old one cannot be trusted. Connection 0 misbehaves; every later one
 * answers "fresh".
 */
class PoisonedConnectionTest {

    private EdgeToScriptedUpstream edge;

    @AfterEach
    void stop() throws IOException {
        if (edge != null) {
            edge.close();
        }
    }

    @Test
    void bytesBeyondTheContentLengthKeepTheConnectionOutOfThePool() throws Exception {
        start(c -> {
            c.readRequest();
            c.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirstEXTRA");
            c.answerAll("stale");
        });

        assertThat(edge.get("/api/v1/pods").body()).isEqualTo("first");

        assertTheNextGetIsAnsweredFreshOnANewConnection();
    }

    @Test
    void garbageAfterACompleteResponseDoesNotHangTheNextRequest() throws Exception {
        start(c -> {
            c.readRequest();
            c.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst\r\nnot http at all\r\n\r\n");
            c.answerAll("stale");
        });

        assertThat(edge.get("/api/v1/pods").body()).isEqualTo("first");

        assertTheNextGetIsAnsweredFreshOnANewConnection();
    }

    @Test
    void bytesArrivingOnAnIdleConnectionCloseIt() throws Exception {
        CountDownLatch firstAnswered = new CountDownLatch(1);
        start(c -> {
            c.readRequest();
            c.answer("first");
            waitFor(firstAnswered);
            c.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nstale");
            c.answerAll("stale");
        });
        assertThat(edge.get("/api/v1/pods").body()).isEqualTo("first");

        firstAnswered.countDown();

        await().atMost(Duration.ofSeconds(10)).until(() -> edge.upstream.closed(0));
        assertTheNextGetIsAnsweredFreshOnANewConnection();
    }

    @Test
    void aChunkedBodyThatBreaksItsFramingFailsAndLeavesNoConnection() throws Exception {
        start(c -> {
            c.readRequest();
            c.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nfirst\r\nzz\r\nstale\r\n0\r\n\r\n");
            c.answerAll("stale");
        });

        Exchange done = edge.call(get());
        HttpReply reply = done.getMessage().getBody(HttpReply.class);
        assertThat(reply.head().status()).isEqualTo(200);

        assertThatThrownBy(() -> CollectedBody.of(reply.body(), 1024).get(10, TimeUnit.SECONDS))
                .as("a body cut by a framing error is not a complete 200")
                .isInstanceOf(ExecutionException.class);

        assertTheNextGetIsAnsweredFreshOnANewConnection();
    }

    @Test
    void aMalformedResponseHeadOnAConnectionLeftOpenGetsA502AndTheNextGetANewConnection() throws Exception {
        start(c -> {
            c.readRequest();
            c.write("not http at all\r\n\r\n");
            c.answerAll("stale");
        });

        HttpResponse<String> response = edge.get("/api/v1/pods");

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).contains("\"kind\":\"Status\"").contains("does not parse");
        assertTheNextGetIsAnsweredFreshOnANewConnection();
    }

    @Test
    void aResponseCutShortByACloseLeavesTheNextGetANewConnection() throws Exception {
        start(c -> {
            c.readRequest();
            c.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial");
            c.close();
        });

        HttpReply reply = edge.call(get()).getMessage().getBody(HttpReply.class);
        assertThatThrownBy(() -> CollectedBody.of(reply.body(), 1024).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class);

        assertTheNextGetIsAnsweredFreshOnANewConnection();
    }

    @Test
    void aResponseShortOfItsContentLengthOnAnOpenConnectionLeavesTheNextGetANewConnection() throws Exception {
        start(c -> {
            c.readRequest();
            c.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial");
            c.answerAll("stale");
        });
        HttpResponse<InputStream> unfinished = edge.open("/api/v1/pods");
        assertThat(unfinished.statusCode()).isEqualTo(200);
        assertThat(unfinished.body().readNBytes(7))
                .asString(StandardCharsets.UTF_8)
                .isEqualTo("partial");

        assertTheNextGetIsAnsweredFreshOnANewConnection();
        unfinished.body().close();
    }

    @Test
    void anAnswerBeforeTheRequestBodyWasReadClosesTheConnection() throws Exception {
        start(c -> {
            c.readHead();
            c.write("HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: 0\r\n\r\n");
            // A naive server that answered early takes the unread body for the next request.
            c.answerAll("stale");
        });
        HeldBody body = new HeldBody();
        DefaultHttpHeaders headers = new DefaultHttpHeaders();
        headers.set("Content-Length", "10");
        headers.set("Content-Type", "application/json");
        String id = RequestIds.generate();
        headers.set(RequestIds.HEADER, id);
        HttpCall post =
                new HttpCall(new RequestHead("POST", "/api/v1/namespaces/default/pods", headers), body, null, id);

        Exchange done = edge.call(post);
        body.send("{\"a\":");
        assertThat(done.getException()).isNull();
        assertThat(done.getMessage().getBody(HttpReply.class).head().status()).isEqualTo(400);
        body.send("\"b\"}");
        body.end();

        await().atMost(Duration.ofSeconds(10)).until(() -> edge.upstream.closed(0));
        assertTheNextGetIsAnsweredFreshOnANewConnection();
    }

    private void start(ScriptedUpstream.Script misbehaving) throws Exception {
        edge = new EdgeToScriptedUpstream("", misbehaving, c -> c.answerAll("fresh"));
    }

    private void assertTheNextGetIsAnsweredFreshOnANewConnection() throws Exception {
        HttpResponse<String> next = edge.get("/api/v1/pods");
        assertThat(next.statusCode()).isEqualTo(200);
        assertThat(next.body()).isEqualTo("fresh");
        assertThat(edge.upstream.received())
                .extracting(ScriptedUpstream.Received::connection)
                .containsExactly(0, 1);
    }

    /** A GET straight to the endpoint: a client that retries on its own would hide a failed body. */
    private static HttpCall get() {
        String id = RequestIds.generate();
        DefaultHttpHeaders headers = new DefaultHttpHeaders();
        headers.set(RequestIds.HEADER, id);
        return new HttpCall(new RequestHead("GET", "/api/v1/pods", headers), ByteSource.EMPTY, null, id);
    }

    private static void waitFor(CountDownLatch latch) throws IOException {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IOException("the test never let the script go on");
            }
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
    }

    /** A request body the test writes by hand, after it has seen the answer. */
    private static final class HeldBody implements ByteSource {

        private final CountDownLatch started = new CountDownLatch(1);
        private volatile ByteSink sink;

        @Override
        public void start(ByteSink sink) {
            this.sink = sink;
            started.countDown();
        }

        @Override
        public void cancel(String reason) {}

        void send(String text) throws Exception {
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            sink.write(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8), null);
        }

        void end() {
            sink.end();
        }
    }
}
