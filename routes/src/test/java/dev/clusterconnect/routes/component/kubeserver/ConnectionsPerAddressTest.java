package dev.clusterconnect.routes.component.kubeserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.clusterconnect.routes.component.kubeclient.CapturedLog;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One client address holds at most the configured number of connections: the next is closed
 * before a byte is read, and admitted again once one of the others closes. A flood of refusals
 * is one log line per address and interval.
 */
class ConnectionsPerAddressTest {

    private final List<Socket> sockets = new ArrayList<>();
    private CamelContext camel;

    @AfterEach
    void closeAll() throws Exception {
        for (Socket socket : sockets) {
            socket.close();
        }
        if (camel != null) {
            camel.stop();
        }
    }

    @Test
    void theConnectionOverTheCapIsClosedAndOneIsAdmittedAgainOnceAnotherCloses() throws Exception {
        int port = serve("maxConnectionsPerAddress=2");
        Socket first = open(port);
        Socket second = open(port);
        assertThat(request(first)).startsWith("HTTP/1.1 200 ");
        assertThat(request(second)).startsWith("HTTP/1.1 200 ");

        assertThat(request(open(port))).as("the third from one address").isEmpty();

        first.close();
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(request(open(port))).startsWith("HTTP/1.1 200 "));
        assertThat(request(second)).as("the others are untouched").startsWith("HTTP/1.1 200 ");
    }

    @Test
    void zeroMeansNoCap() throws Exception {
        int port = serve("maxConnectionsPerAddress=0");
        for (int i = 0; i < 300; i++) {
            open(port);
        }

        assertThat(request(open(port))).startsWith("HTTP/1.1 200 ");
    }

    @Test
    void refusalsAreLoggedOncePerAddressAndIntervalWithHowManyThereWere() {
        AtomicLong nanos = new AtomicLong();
        ConnectionsPerAddress cap = new ConnectionsPerAddress(1, nanos::get);
        try (CapturedLog log = new CapturedLog(ConnectionsPerAddress.class)) {
            assertThat(cap.admit(from("10.0.0.1"))).isTrue();
            assertThat(cap.admit(from("10.0.0.2")))
                    .as("another address has a cap of its own")
                    .isTrue();
            for (int i = 0; i < 1000; i++) {
                assertThat(cap.admit(from("10.0.0.1"))).isFalse();
            }
            assertThat(log.lines()).hasSize(1);

            nanos.addAndGet(ConnectionsPerAddress.LOG_INTERVAL.toNanos());
            cap.admit(from("10.0.0.1"));

            assertThat(log.lines()).hasSize(2);
            assertThat(log.lines().get(1)).contains("refused 1000 connection(s) from 10.0.0.1");
        }
    }

    @Test
    void aClosedConnectionFreesItsPlace() throws Exception {
        ConnectionsPerAddress cap = new ConnectionsPerAddress(1, System::nanoTime);
        EmbeddedChannel admitted = from("10.0.0.1");
        cap.admit(admitted);

        admitted.close();

        assertThat(cap.openFrom(InetAddress.getByName("10.0.0.1"))).isZero();
        assertThat(cap.admit(from("10.0.0.1"))).isTrue();
    }

    private static EmbeddedChannel from(String address) {
        InetSocketAddress remote = new InetSocketAddress(address, 40000);
        return new EmbeddedChannel() {
            @Override
            protected SocketAddress remoteAddress0() {
                return remote;
            }
        };
    }

    private int serve(String options) throws Exception {
        camel = new DefaultCamelContext();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("kubeserver:127.0.0.1:0/?" + options).routeId("capped").setBody(constant("ok"));
            }
        });
        camel.start();
        return ((KubeServerEndpoint) camel.getRoute("capped").getEndpoint()).boundPort();
    }

    private Socket open(int port) throws Exception {
        Socket socket = new Socket("127.0.0.1", port);
        // A safety net against a hang, not a measurement: every read here ends long before.
        socket.setSoTimeout(20_000);
        sockets.add(socket);
        return socket;
    }

    /** The response to one GET, or "" when the server closed the connection without one. */
    private static String request(Socket socket) {
        try {
            OutputStream out = socket.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder answer = new StringBuilder();
            while (!answer.toString().endsWith("\r\n\r\nok")) {
                int b = in.read();
                if (b < 0) {
                    return answer.toString();
                }
                answer.append((char) b);
            }
            return answer.toString();
        } catch (java.io.IOException closed) {
            return ""; // reset by the server
        }
    }
}
