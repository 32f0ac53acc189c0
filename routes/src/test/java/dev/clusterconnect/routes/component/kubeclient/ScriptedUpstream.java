package dev.clusterconnect.routes.component.kubeclient;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An HTTP/1.1 server on a free port of 127.0.0.1 that does to each connection what the test
 * scripted for it (answer, drop, reset, cut short), and records every request head it read with
 * the number of the connection it came on.
 */
final class ScriptedUpstream implements AutoCloseable {

    /** What the server does with one connection. */
    interface Script {
        void run(Connection connection) throws IOException;
    }

    /** A request head as the server read it. */
    record Received(int connection, String head) {

        String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }

    private final ServerSocket server;
    private final List<Script> scripts;
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();

    /** Connection n runs script n; connections after the last script run the last one. */
    ScriptedUpstream(Script... scripts) throws IOException {
        this.scripts = List.of(scripts);
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "scripted-upstream");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    int connections() {
        return connections.size();
    }

    List<Received> received() {
        return received;
    }

    /** True once the server has closed connection {@code n} (0 is the first). */
    boolean closed(int n) {
        return connections.size() > n && connections.get(n).socket.isClosed();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Connection connection : connections) {
            connection.socket.close();
        }
    }

    private void accept() {
        try {
            while (true) {
                Socket socket = server.accept();
                Connection connection = new Connection(connections.size(), socket);
                connections.add(connection);
                Script script = scripts.get(Math.min(connection.number, scripts.size() - 1));
                Thread serving = new Thread(() -> serve(connection, script), "scripted-upstream-" + connection.number);
                serving.setDaemon(true);
                serving.start();
            }
        } catch (IOException closed) {
            // the test is over
        }
    }

    private static void serve(Connection connection, Script script) {
        try (Socket socket = connection.socket) {
            script.run(connection);
        } catch (IOException gone) {
            // the client went away, or the test closed the server
        }
    }

    /** One accepted connection, as a script sees it. */
    final class Connection {

        private final int number;
        private final Socket socket;

        private Connection(int number, Socket socket) {
            this.number = number;
            this.socket = socket;
        }

        /** Reads one request, its body included; null when the client closed the connection. */
        String readRequest() throws IOException {
            Received request = readHead();
            if (request == null) {
                return null;
            }
            String length = request.header("Content-Length");
            socket.getInputStream().readNBytes(length == null ? 0 : Integer.parseInt(length));
            return request.head();
        }

        /** Reads one request head and leaves its body unread, as a server that answers early does. */
        Received readHead() throws IOException {
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    return null;
                }
                head.write(b);
            }
            Received request = new Received(number, head.toString(StandardCharsets.ISO_8859_1));
            received.add(request);
            return request;
        }

        /** Reads one request and says nothing at all until the client closes the connection. */
        void readRequestAndSayNothing() throws IOException {
            readRequest();
            while (socket.getInputStream().read() >= 0) {
                // a well-behaved client sends nothing more without an answer
            }
        }

        /** A complete 200 that keeps the connection open. */
        void answer(String body) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + bytes.length + "\r\n\r\n" + body);
        }

        /** Answers every request on this connection until the client closes it. */
        void answerAll(String body) throws IOException {
            while (readRequest() != null) {
                answer(body);
            }
        }

        void write(String raw) throws IOException {
            socket.getOutputStream().write(raw.getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
        }

        /** An orderly close (FIN), as a server closing an idle keep-alive connection does. */
        void close() throws IOException {
            socket.close();
        }

        /**
         * Closes the connection as the next request starts to arrive, unanswered: the race every
         * keep-alive client meets when a server gives up an idle connection it thinks unused.
         */
        void closeAsTheNextRequestArrives() throws IOException {
            socket.getInputStream().read();
            socket.close();
        }

        /** A reset (RST), as from a process that died or a load balancer that dropped the backend. */
        void reset() throws IOException {
            socket.setSoLinger(true, 0);
            socket.close();
        }
    }
}
