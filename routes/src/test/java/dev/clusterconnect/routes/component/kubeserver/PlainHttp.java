package dev.clusterconnect.routes.component.kubeserver;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Requests as bytes, for the kubeserver's tests: over a socket, or through an EmbeddedChannel. */
final class PlainHttp {

    private PlainHttp() {}

    /** A GET with {@code Connection: close} on 127.0.0.1:{@code port}: the whole answer, head and body. */
    static String get(int port, String host, String path) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    /** Everything the channel has written so far, after running its pending tasks. */
    static String written(EmbeddedChannel connection) {
        connection.runPendingTasks();
        StringBuilder out = new StringBuilder();
        for (Object written = connection.readOutbound(); written != null; written = connection.readOutbound()) {
            ByteBuf bytes = (ByteBuf) written;
            out.append(bytes.toString(StandardCharsets.ISO_8859_1));
            bytes.release();
        }
        return out.toString();
    }
}
