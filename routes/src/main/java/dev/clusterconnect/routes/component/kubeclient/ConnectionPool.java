package dev.clusterconnect.routes.component.kubeclient;

import dev.clusterconnect.routes.component.Flushes;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * Keep-alive connections to one upstream. A connection is handed out for one request at a time
 * and comes back only after both its request and response completed, well framed; upgraded ones
 * never do. While it waits here, any byte from the server closes it ({@link FirstResponseByte}).
 *
 * <p>A caller that is itself on an event loop (the proxy, forwarding a request that arrived on a
 * socket) gets a connection on that same loop: both sockets of the exchange are then served by
 * one thread, and no byte crosses threads (no task queue, no wake-up) on its way through.
 */
final class ConnectionPool {

    /** Idle connections are closed before servers typically close them (Go's default is 90 s). */
    private static final int IDLE_SECONDS = 45;
    /** Idle connections kept per event loop. */
    private static final int MAX_IDLE = 64;
    /** Which idle list a connection returns to: its caller's loop, or {@link #ANY}. */
    private static final AttributeKey<EventExecutor> LOOP = AttributeKey.valueOf(ConnectionPool.class, "loop");

    private static final EventExecutor ANY = ImmediateEventExecutor.INSTANCE;
    private static final String CODEC = "http";

    private final Upstream upstream;
    private final Bootstrap bootstrap;
    private final ConcurrentHashMap<EventExecutor, ConcurrentLinkedDeque<Channel>> idle = new ConcurrentHashMap<>();

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
                        ch.pipeline().addLast(Flushes.NAME, Flushes.consolidating());
                        ch.pipeline().addLast("idle", new IdleStateHandler(0, 0, IDLE_SECONDS) {
                            @Override
                            protected void channelIdle(io.netty.channel.ChannelHandlerContext ctx, IdleStateEvent evt) {
                                if (ctx.pipeline().get(UpstreamExchange.NAME) == null) {
                                    ctx.close();
                                }
                            }
                        });
                        ch.pipeline().addLast(FirstResponseByte.NAME, new FirstResponseByte());
                        ch.pipeline().addLast(CODEC, codec());
                    }
                });
    }

    private static HttpClientCodec codec() {
        return new HttpClientCodec(16 * 1024, 64 * 1024, 64 * 1024);
    }

    /**
     * Gives a connection whose exchange ended a fresh codec, so the next exchange starts from a
     * decoder that holds nothing of this one. Bytes the old decoder still held (read past the end
     * of the response) go on, raw, to the handler after it. Removed, then added: a replaced
     * handler would hand its bytes to its replacement. On the channel's event loop.
     */
    static void renewCodec(Channel channel) {
        channel.pipeline().remove(CODEC);
        if (channel.isActive()) {
            channel.pipeline().addAfter(FirstResponseByte.NAME, CODEC, codec());
        }
    }

    /**
     * A pooled connection if one is alive, else a new one.
     *
     * @param loop the event loop the caller runs on, whose connections it prefers; null for any
     */
    ChannelFuture acquire(EventLoop loop) {
        EventExecutor home = loop != null ? loop : ANY;
        ConcurrentLinkedDeque<Channel> connections = idle.get(home);
        Channel channel;
        while (connections != null && (channel = connections.pollFirst()) != null) {
            if (channel.isActive()) {
                return channel.newSucceededFuture();
            }
        }
        return connect(loop);
    }

    /**
     * Always a new connection: for a request sent again, after the connection it was on died,
     * when idle ones may have died with it (their replica went away).
     *
     * @param loop the event loop the caller runs on; null for any
     */
    ChannelFuture connect(EventLoop loop) {
        EventExecutor home = loop != null ? loop : ANY;
        Bootstrap dial = loop != null ? bootstrap.clone(loop) : bootstrap;
        ChannelFuture connecting = dial.connect(upstream.host(), upstream.port());
        connecting.channel().attr(LOOP).set(home);
        return connecting;
    }

    /** Where to schedule work for a caller on {@code loop}: that loop, or one of the pool's own. */
    EventLoop loop(EventLoop loop) {
        return loop != null ? loop : bootstrap.config().group().next();
    }

    /** Takes back a connection whose exchange ended complete and well framed. On its event loop. */
    void release(Channel channel) {
        ConcurrentLinkedDeque<Channel> connections =
                idle.computeIfAbsent(channel.attr(LOOP).get(), k -> new ConcurrentLinkedDeque<>());
        if (channel.isActive() && connections.size() < MAX_IDLE) {
            FirstResponseByte.betweenExchanges(channel);
            connections.addFirst(channel);
        } else {
            channel.close();
        }
    }

    void close() {
        for (ConcurrentLinkedDeque<Channel> connections : idle.values()) {
            Channel channel;
            while ((channel = connections.pollFirst()) != null) {
                channel.close();
            }
        }
    }

    int idleConnections() {
        return idle.values().stream().mapToInt(ConcurrentLinkedDeque::size).sum();
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
