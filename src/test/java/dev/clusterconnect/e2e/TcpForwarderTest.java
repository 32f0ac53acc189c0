package dev.clusterconnect.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The chaos tests' forwarder does what each mode says, on plain sockets: the chaos figures rest on it. */
class TcpForwarderTest {

    private ServerSocket server;
    private TcpForwarder forwarder;
    private Socket client;
    private Socket accepted;

    @BeforeEach
    void connect() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        forwarder = TcpForwarder.start("127.0.0.1", server.getLocalPort());
        client = new Socket("127.0.0.1", forwarder.port());
        client.setSoTimeout(500);
        accepted = server.accept();
        accepted.setSoTimeout(500);
    }

    @AfterEach
    void close() throws IOException {
        forwarder.close();
        client.close();
        accepted.close();
        server.close();
    }

    @Test
    void passCarriesBothWaysAndCounts() throws IOException {
        send(client, "ping");
        assertThat(receive(accepted, 4)).isEqualTo("ping");
        send(accepted, "pong!");
        assertThat(receive(client, 5)).isEqualTo("pong!");
        assertThat(forwarder.bytesToServer()).isEqualTo(4);
        assertThat(forwarder.bytesToClient()).isEqualTo(5);
    }

    @Test
    void aBlackHoleHoldsBothWaysClosesNothingAndDeliversOnceThePathIsBack() throws IOException {
        forwarder.mode(TcpForwarder.Mode.BLACK_HOLE);
        send(client, "up");
        send(accepted, "down");
        assertThatThrownBy(() -> receive(accepted, 2)).isInstanceOf(SocketTimeoutException.class);
        assertThatThrownBy(() -> receive(client, 4)).isInstanceOf(SocketTimeoutException.class);
        assertThat(forwarder.openConnections()).isEqualTo(1);
        forwarder.mode(TcpForwarder.Mode.PASS);
        assertThat(receive(accepted, 2)).isEqualTo("up");
        assertThat(receive(client, 4)).isEqualTo("down");
    }

    @Test
    void aServerThatStopsReadingStillSendsWhatItHas() throws IOException {
        forwarder.mode(TcpForwarder.Mode.STOP_READING);
        send(client, "request");
        assertThatThrownBy(() -> receive(accepted, 7)).isInstanceOf(SocketTimeoutException.class);
        send(accepted, "event");
        assertThat(receive(client, 5)).isEqualTo("event");
    }

    @Test
    void resetCutsAConnectionOnItsClientsNextBytesAndRefusesNewOnes() throws IOException {
        forwarder.mode(TcpForwarder.Mode.RESET);
        send(accepted, "event");
        assertThat(receive(client, 5))
                .as("the server's bytes still flow until the client speaks")
                .isEqualTo("event");
        send(client, "request");
        assertThatThrownBy(() -> receive(client, 1))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("reset");
        try (Socket late = new Socket("127.0.0.1", forwarder.port())) {
            late.setSoTimeout(2000);
            assertThatThrownBy(() -> {
                        send(late, "x");
                        receive(late, 1);
                    })
                    .isInstanceOf(IOException.class);
        }
    }

    private static void send(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
    }

    private static String receive(Socket socket, int bytes) throws IOException {
        InputStream in = socket.getInputStream();
        byte[] data = in.readNBytes(bytes);
        if (data.length < bytes) {
            throw new IOException("closed after " + data.length + " bytes");
        }
        return new String(data, StandardCharsets.UTF_8);
    }
}
