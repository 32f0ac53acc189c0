package dev.clusterconnect.routes.component.kubeclient;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * Keep-alive connections to one upstream. A connection is handed out for one request at a time
 * and comes back only after both its request and response completed; upgraded ones never do.
 */
final class ConnectionPool {

    /** Idle connections are closed before servers typically close them (Go's default is 90 s). */
    private static final int IDLE_SECONDS = 45;
    private static final int MAX_IDLE = 64;

    private final Upstream upstream;
    private final Bootstrap bootstrap;
    private final ConcurrentLinkedDeque<Channel> idle = new ConcurrentLinkedDeque<>();

    ConnectionPool(Upstream upstream, EventLoopGroup group, int connectTimeoutMillis) {
        this.upstream = upstream;
        this.bootstrap = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(128 * 1024, 256 * 1024))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (upstream.ssl() != null) {
                            ch.pipeline().addLast("tls", verifyingHandler(ch));
                        }
                        ch.pipeline().addLast("idle", new IdleStateHandler(0, 0, IDLE_SECONDS) {
                            @Override
                            protected void channelIdle(io.netty.channel.ChannelHandlerContext ctx, IdleStateEvent evt) {
                                if (ctx.pipeline().get(UpstreamExchange.NAME) == null) {
                                    ctx.close();
                                }
                            }
                        });
                        ch.pipeline().addLast("http", new HttpClientCodec(16 * 1024, 64 * 1024, 64 * 1024));
                    }
                });
    }

    /** A pooled connection if one is alive, else a new one. */
    ChannelFuture acquire() {
        Channel channel;
        while ((channel = idle.pollFirst()) != null) {
            if (channel.isActive()) {
                return channel.newSucceededFuture();
            }
        }
        return bootstrap.connect(upstream.host(), upstream.port());
    }

    void release(Channel channel) {
        if (channel.isActive() && idle.size() < MAX_IDLE) {
            idle.addFirst(channel);
        } else {
            channel.close();
        }
    }

    void close() {
        Channel channel;
        while ((channel = idle.pollFirst()) != null) {
            channel.close();
        }
    }

    int idleConnections() {
        return idle.size();
    }

    // The server's certificate must match the host we dialled, not just chain to a trusted CA.
    private SslHandler verifyingHandler(SocketChannel ch) {
        SslHandler handler = upstream.ssl().newHandler(ch.alloc(), upstream.host(), upstream.port());
        SSLEngine engine = handler.engine();
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        engine.setSSLParameters(parameters);
        return handler;
    }
}
