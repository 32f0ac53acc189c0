package dev.clusterconnect.routes.component.kubeserver;

import dev.clusterconnect.routes.component.Flushes;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

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

    private KubeServer(Channel listener) {
        this.listener = listener;
    }

    static KubeServer bind(String host, int port, SslContext ssl, EventLoopGroup boss, EventLoopGroup workers) throws InterruptedException {
        KubeServer[] holder = new KubeServer[1];
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
                        if (ssl != null) {
                            ch.pipeline().addLast("tls", ssl.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast(Flushes.NAME, Flushes.consolidating());
                        ch.pipeline().addLast(DECODER, new StrictRequestDecoder(MAX_INITIAL_LINE, MAX_HEADER_BYTES, MAX_CHUNK));
                        ch.pipeline().addLast(ENCODER, new HttpResponseEncoder());
                        ch.pipeline().addLast("edge", new EdgeHandler(path -> holder[0].route(path)));
                    }
                });
        Channel channel = bootstrap.bind(host, port).sync().channel();
        holder[0] = new KubeServer(channel);
        return holder[0];
    }

    int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
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
