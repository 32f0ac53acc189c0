package dev.clusterconnect.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP hop of the test's own between a client and its server (an agent and its relay, an agent
 * and its apiserver) that can be switched, at any moment, into the faults a network or a server
 * shows. A mode holds for every connection, open or new, until the next switch; no switch ever
 * closes a socket, except {@link Mode#RESET}, whose point it is.
 */
final class TcpForwarder implements AutoCloseable {

    enum Mode {
        /** Bytes go both ways. */
        PASS,
        /**
         * Nothing goes either way and no socket closes: packets dropped on the path. TCP would
         * retransmit them, so the held bytes flow on once the path is back ({@link #PASS}).
         */
        BLACK_HOLE,
        /**
         * A server that accepts but never reads: the client's bytes stay unread (held); what the
         * server sent before still reaches the client, so an open watch keeps its events.
         */
        STOP_READING,
        /** A server that resets: a new connection, and any byte the client sends, gets an RST on both sides. */
        RESET;

        boolean forwards(boolean toServer) {
            return this == PASS || (!toServer && this != BLACK_HOLE);
        }
    }

    private final ServerSocket listener;
    private final String targetHost;
    private final int targetPort;
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private final AtomicLong toClient = new AtomicLong();
    private final AtomicLong toServer = new AtomicLong();
    private final Object gate = new Object();
    private volatile Mode mode = Mode.PASS;
    private volatile boolean closed;

    private TcpForwarder(ServerSocket listener, String targetHost, int targetPort) {
        this.listener = listener;
        this.targetHost = targetHost;
        this.targetPort = targetPort;
    }

    /** Listens on a free port of 127.0.0.1 and forwards to {@code targetHost:targetPort}, which need not be up yet. */
    static TcpForwarder start(String targetHost, int targetPort) throws IOException {
        TcpForwarder forwarder =
                new TcpForwarder(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), targetHost, targetPort);
        daemon("forwarder-accept-" + forwarder.port(), forwarder::acceptLoop);
        return forwarder;
    }

    int port() {
        return listener.getLocalPort();
    }

    Mode mode() {
        return mode;
    }

    /** Switches every connection, open and new, to {@code next}. */
    void mode(Mode next) {
        synchronized (gate) {
            mode = next;
            gate.notifyAll();
        }
    }

    /** Bytes passed from the server to its clients so far (e.g. how far a LIST got). */
    long bytesToClient() {
        return toClient.get();
    }

    long bytesToServer() {
        return toServer.get();
    }

    /** Connections whose sockets are both still open. */
    int openConnections() {
        return (int) links.stream().filter(link -> !link.isClosed()).count();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            if (mode == Mode.RESET) {
                reset(client);
                continue;
            }
            try {
                Socket server = new Socket(targetHost, targetPort);
                Link link = new Link(client, server);
                links.add(link);
                daemon("forwarder-up-" + port(), () -> pump(link, true));
                daemon("forwarder-down-" + port(), () -> pump(link, false));
            } catch (IOException refused) {
                // the server is down: the client sees its connection closed, as with a refused one behind a load
                // balancer
                quietly(client);
            }
        }
    }

    /** One direction of one connection: read, wait while the mode holds this direction, write. */
    private void pump(Link link, boolean toServerSide) {
        Socket from = toServerSide ? link.client : link.server;
        Socket to = toServerSide ? link.server : link.client;
        byte[] buffer = new byte[64 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            while (true) {
                awaitForwarding(toServerSide, link, true);
                int n = in.read(buffer);
                if (n < 0) {
                    awaitForwarding(toServerSide, link, false);
                    to.shutdownOutput();
                    link.halfClosed();
                    return;
                }
                // A read that was under way when the mode changed: its bytes are held like the unread ones.
                awaitForwarding(toServerSide, link, false);
                (toServerSide ? toServer : toClient).addAndGet(n);
                out.write(buffer, 0, n);
            }
        } catch (IOException | InterruptedException e) {
            link.close();
        }
    }

    /**
     * Returns once this direction may go on; resets the link when the client has bytes for a
     * server that resets. @param beforeRead true: nothing read yet (a resetting server still reads, to see bytes come)
     */
    private void awaitForwarding(boolean toServerSide, Link link, boolean beforeRead)
            throws InterruptedException, SocketException {
        synchronized (gate) {
            while (!mode.forwards(toServerSide)) {
                if (toServerSide && mode == Mode.RESET) {
                    if (beforeRead) {
                        return;
                    }
                    link.reset();
                    throw new SocketException("reset by the forwarder");
                }
                if (closed || link.isClosed()) {
                    throw new SocketException("closed");
                }
                gate.wait(100);
            }
        }
    }

    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0); // close() then sends RST, not FIN
        } catch (SocketException ignored) {
            // already gone
        }
        quietly(socket);
    }

    private static void quietly(java.io.Closeable socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing left to do
        }
    }

    private static void daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() {
        closed = true;
        quietly(listener);
        links.forEach(Link::close);
        mode(Mode.PASS);
    }

    /** A client's connection and the one opened for it to the server. */
    private static final class Link {
        final Socket client;
        final Socket server;
        private int halfClosed;
        private volatile boolean closed;

        Link(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        synchronized void halfClosed() {
            if (++halfClosed == 2) {
                close();
            }
        }

        boolean isClosed() {
            return closed;
        }

        void reset() {
            closed = true;
            TcpForwarder.reset(client);
            TcpForwarder.reset(server);
        }

        void close() {
            closed = true;
            quietly(client);
            quietly(server);
        }
    }
}
