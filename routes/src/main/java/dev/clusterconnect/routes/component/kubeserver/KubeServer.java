package dev.clusterconnect.routes.component.kubeserver;

import dev.clusterconnect.routes.component.Flushes;
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
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * One listening socket shared by every consumer on the same host and port; a request goes to the
 * consumer with the longest matching path prefix (so the relay serves agents and clients on 443).
 */
final class KubeServer {

    /** Request line and head limits: kubectl's heads are a few KiB; anything near this is abuse. */
    static final int MAX_INITIAL_LINE = 16 * 1024;
    static final int MAX_HEADER_BYTES = 64 * 1024;
    static final int MAX_CHUNK = 64 * 1024;
    static final String DECODER = "http-decoder";
    static final String ENCODER = "http-encoder";

    private final Map<String, KubeServerConsumer> byPrefix = new ConcurrentSkipListMap<>((a, b) -> {
        int byLength = Integer.compare(b.length(), a.length());
        return byLength != 0 ? byLength : a.compareTo(b);
    });
    private final Channel listener;
    private final ChannelGroup connections;
    private volatile boolean closing;

    private final int port;

    private KubeServer(Channel listener, ChannelGroup connections) {
        this.listener = listener;
        this.connections = connections;
        this.port = ((InetSocketAddress) listener.localAddress()).getPort();
    }

    static KubeServer bind(String host, int port, SslContext ssl, EventLoopGroup boss, EventLoopGroup workers) throws InterruptedException {
        KubeServer[] holder = new KubeServer[1];
        ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
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
                        connections.add(ch);
                        if (ssl != null) {
                            ch.pipeline().addLast("tls", ssl.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast(Flushes.NAME, Flushes.consolidating());
                        addHttp(ch.pipeline(), path -> holder[0].route(path), () -> holder[0].closing);
                    }
                });
        Channel channel = bootstrap.bind(host, port).sync().channel();
        holder[0] = new KubeServer(channel, connections);
        return holder[0];
    }

    /** The HTTP handlers of one client connection, after TLS and flush consolidation. */
    static void addHttp(ChannelPipeline pipeline, Function<String, KubeServerConsumer> router, BooleanSupplier closing) {
        pipeline.addLast(DECODER, new StrictRequestDecoder(MAX_INITIAL_LINE, MAX_HEADER_BYTES, MAX_CHUNK));
        pipeline.addLast(ENCODER, new HttpResponseEncoder());
        pipeline.addLast("edge", new EdgeHandler(router, closing));
    }

    int port() {
        return port;
    }

    void register(String prefix, KubeServerConsumer consumer) {
        if (byPrefix.putIfAbsent(prefix, consumer) != null) {
            throw new IllegalStateException("two consumers for path prefix " + prefix + " on port " + port());
        }
    }

    /** Removes a consumer; true when none is left (the caller then closes the server). */
    boolean unregister(String prefix) {
        byPrefix.remove(prefix);
        return byPrefix.isEmpty();
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

    private KubeServerConsumer route(String path) {
        for (Map.Entry<String, KubeServerConsumer> entry : byPrefix.entrySet()) {
            String prefix = entry.getKey();
            if (prefix.equals("/") || path.equals(prefix) || path.startsWith(prefix.endsWith("/") ? prefix : prefix + "/")) {
                return entry.getValue();
            }
        }
        return null;
    }
}
