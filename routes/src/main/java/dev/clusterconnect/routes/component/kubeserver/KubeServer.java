package dev.clusterconnect.routes.component.kubeserver;

import dev.clusterconnect.routes.component.Flushes;
import dev.clusterconnect.routes.http.RequestHead;
import dev.clusterconnect.routes.http.RequestedHosts;
import dev.clusterconnect.routes.status.KubeStatusException;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * One listening socket shared by every consumer on the same host and port; a request goes to the
 * consumer with the longest matching path prefix (so the relay serves agents and clients on 443),
 * or, under a REST DSL base path, to the REST operation of its method and path ({@link RestOperations}).
 */
final class KubeServer {

    /** Request line and head limits: kubectl's heads are a few KiB; anything near this is abuse. */
    static final int MAX_INITIAL_LINE = 16 * 1024;

    static final int MAX_HEADER_BYTES = 64 * 1024;
    static final int MAX_CHUNK = 64 * 1024;
    static final String DECODER = "http-decoder";
    static final String ENCODER = "http-encoder";
    static final java.time.Duration TLS_HANDSHAKE_TIMEOUT = java.time.Duration.ofSeconds(10);

    private final Map<String, RequestTarget> byPrefix = new ConcurrentSkipListMap<>((a, b) -> {
        int byLength = Integer.compare(b.length(), a.length());
        return byLength != 0 ? byLength : a.compareTo(b);
    });
    private static final RequestTarget SHUTTING_DOWN = (call, responder) -> responder.fail(
            KubeStatusException.serviceUnavailable("this server is shutting down; retry the request", 1), false);

    /** Consumers of every request for a host name under a domain (hostDomain), whatever its path. */
    private final Map<String, KubeServerConsumer> byDomain = new java.util.concurrent.ConcurrentHashMap<>();

    private final Channel listener;
    private final ChannelGroup connections;
    private volatile boolean closing;
    /** The routes are stopping: no request may enter one any more ({@link #refuseRequests}). */
    private volatile boolean refusing;

    private final int port;
    private final EdgeLimits limits;

    private KubeServer(Channel listener, ChannelGroup connections, EdgeLimits limits) {
        this.listener = listener;
        this.connections = connections;
        this.limits = limits;
        this.port = ((InetSocketAddress) listener.localAddress()).getPort();
    }

    static KubeServer bind(
            String host, int port, SslContext ssl, EdgeLimits limits, EventLoopGroup boss, EventLoopGroup workers)
            throws InterruptedException {
        KubeServer[] holder = new KubeServer[1];
        ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        ConnectionsPerAddress perAddress =
                new ConnectionsPerAddress(limits.maxConnectionsPerAddress(), System::nanoTime);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.AUTO_READ, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // Larger than Netty's default so a 64 KiB DATA chunk does not flip writability at once.
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(128 * 1024, 256 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (!perAddress.admit(ch)) {
                            ch.close();
                            return;
                        }
                        connections.add(ch);
                        if (ssl != null) {
                            SslHandler tls = ssl.newHandler(ch.alloc());
                            // Netty's default, stated: a handshake never finished must not hold
                            // the socket. The header timeout, when shorter, closes it sooner.
                            tls.setHandshakeTimeoutMillis(TLS_HANDSHAKE_TIMEOUT.toMillis());
                            ch.pipeline().addLast("tls", tls);
                        }
                        ch.pipeline().addLast(Flushes.NAME, Flushes.consolidating());
                        addHttp(
                                ch.pipeline(),
                                (head, connection) -> holder[0].route(head, connection),
                                () -> holder[0].closing,
                                limits);
                    }
                });
        Channel channel = bootstrap.bind(host, port).sync().channel();
        holder[0] = new KubeServer(channel, connections, limits);
        return holder[0];
    }

    /** The HTTP handlers of one client connection, after TLS and flush consolidation. */
    /** {@link #addHttp} with a router by path alone. */
    static void addHttp(
            ChannelPipeline pipeline,
            Function<String, ? extends RequestTarget> router,
            BooleanSupplier closing,
            EdgeLimits limits) {
        addHttp(pipeline, (head, connection) -> router.apply(head.path()), closing, limits);
    }

    static void addHttp(
            ChannelPipeline pipeline,
            java.util.function.BiFunction<RequestHead, Channel, ? extends RequestTarget> router,
            BooleanSupplier closing,
            EdgeLimits limits) {
        RequestDeadlines deadlines =
                new RequestDeadlines(limits.headerTimeout(), limits.idleTimeout(), limits.bodyTimeout());
        pipeline.addLast(RequestDeadlines.NAME, deadlines);
        pipeline.addLast(DECODER, new StrictRequestDecoder(MAX_INITIAL_LINE, MAX_HEADER_BYTES, MAX_CHUNK));
        pipeline.addLast(ENCODER, new HttpResponseEncoder());
        pipeline.addLast("edge", new EdgeHandler(router, closing, deadlines));
    }

    int port() {
        return port;
    }

    /** The group drops a connection when it closes, so this is what is open now. */
    int openConnections() {
        return connections.size();
    }

    void register(String prefix, KubeServerConsumer consumer, EdgeLimits wanted, String hostDomain) {
        if (!hostDomain.isEmpty()
                && byDomain.putIfAbsent(hostDomain.toLowerCase(java.util.Locale.ROOT), consumer) != null) {
            throw new IllegalStateException("two consumers for host domain " + hostDomain + " on port " + port());
        }
        register(prefix, consumer, wanted);
    }

    void register(String prefix, KubeServerConsumer consumer, EdgeLimits wanted) {
        checkLimits(wanted);
        RequestTarget existing = byPrefix.putIfAbsent(prefix, consumer);
        if (existing instanceof RestOperations operations) {
            operations.fallback(consumer);
        } else if (existing != null) {
            throw new IllegalStateException("two consumers for path prefix " + prefix + " on port " + port());
        }
    }

    /**
     * Adds a REST operation (Camel's REST DSL) under {@code basePath}: the requests there go to the
     * operation of their method and path template, and the path prefix belongs to such operations only.
     */
    void registerRest(
            String basePath, String method, PathTemplate template, KubeServerConsumer consumer, EdgeLimits wanted) {
        checkLimits(wanted);
        RequestTarget target = byPrefix.compute(basePath, (prefix, existing) -> {
            if (existing instanceof RestOperations operations) {
                return operations;
            }
            // a plain route there first: it becomes the one for the requests no operation matches
            RestOperations operations = new RestOperations(prefix);
            operations.fallback((KubeServerConsumer) existing);
            return operations;
        });
        ((RestOperations) target).add(new RestOperations.Operation(method, template, consumer));
    }

    /** Removes a consumer; true when none is left (the caller then closes the server). */
    boolean unregister(String prefix) {
        byDomain.values().removeIf(consumer -> consumer == byPrefix.get(prefix));
        if (byPrefix.get(prefix) instanceof RestOperations operations) {
            operations.fallback(null);
            if (!operations.hasOperations()) {
                byPrefix.remove(prefix);
            }
        } else {
            byPrefix.remove(prefix);
        }
        return byPrefix.isEmpty();
    }

    /** Removes a REST operation's consumer; true when no consumer of any kind is left. */
    boolean unregisterRest(String basePath, KubeServerConsumer consumer) {
        if (byPrefix.get(basePath) instanceof RestOperations operations && operations.remove(consumer)) {
            if (operations.fallback() != null) {
                byPrefix.put(basePath, operations.fallback());
            } else {
                byPrefix.remove(basePath);
            }
        }
        return byPrefix.isEmpty();
    }

    private void checkLimits(EdgeLimits wanted) {
        // The limits belong to the socket, which all its routes share: silently keeping the first
        // route's would hide a typo in another's.
        if (!wanted.equals(limits)) {
            throw new IllegalStateException(
                    "routes on port " + port() + " ask for different connection limits: " + limits + " and " + wanted);
        }
    }

    void close() {
        listener.close().syncUninterruptibly();
    }

    /**
     * Stops taking connections and lets the open ones go as a graceful HTTP server does: an idle
     * keep-alive connection closes now, a busy one after its response (which says {@code
     * Connection: close}). Connections taken over by a tunnel or an upgrade are left alone. A
     * client that sent a request on a connection just as it closed sees no response byte and may
     * send it again elsewhere.
     */
    void closeGracefully() {
        closing = true;
        listener.close();
        for (Channel connection : connections) {
            connection.eventLoop().execute(() -> {
                EdgeHandler edge = connection.pipeline().get(EdgeHandler.class);
                if (edge != null) {
                    edge.closeWhenIdle();
                }
            });
        }
    }

    /**
     * Once the context's routes begin to stop, every request is answered 503 with {@code
     * Retry-After} on the event loop and its connection closes: a route stopped or stopping would
     * answer it wrongly (a REST operation already gone falls to the API's fallback route) or hold
     * the loop (a {@code direct:} call waiting for a stopped consumer). A client retries it at
     * another replica; the drain before this has already moved the clients it could.
     */
    void refuseRequests() {
        refusing = true;
        closeGracefully();
    }

    /** The target of a request: a route of its host's domain ({@code hostDomain}), else of its path. */
    RequestTarget route(RequestHead head, Channel connection) {
        if (refusing) {
            return SHUTTING_DOWN;
        }
        if (!byDomain.isEmpty()) {
            for (Map.Entry<String, KubeServerConsumer> domain : byDomain.entrySet()) {
                if (RequestedHosts.labelUnder(domain.getKey(), head, connection).isPresent()) {
                    return domain.getValue();
                }
            }
        }
        return route(head.path());
    }

    RequestTarget route(String path) {
        if (refusing) {
            return SHUTTING_DOWN;
        }
        for (Map.Entry<String, RequestTarget> entry : byPrefix.entrySet()) {
            String prefix = entry.getKey();
            if (prefix.equals("/")
                    || path.equals(prefix)
                    || path.startsWith(prefix.endsWith("/") ? prefix : prefix + "/")) {
                return entry.getValue();
            }
        }
        return null;
    }
}
