package dev.clusterconnect.sandbox.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.stream.ChunkedWriteHandler;
import java.util.function.Supplier;

/**
 * The pipeline of a new connection: TLS (optional), HTTP/1.1, header values read as UTF-8 (as the
 * apiserver reads them), the header record, request aggregation, chunked writes with
 * back-pressure, then the API handler. Streaming upgrades replace the HTTP part later; they
 * find the handlers by these names.
 */
public final class ServerInitializer extends ChannelInitializer<SocketChannel> {

    /** Largest request body accepted: far above any object kubectl sends. */
    private static final int MAX_BODY = 64 * 1024 * 1024;

    private final SslContext ssl;
    private final Supplier<ChannelHandler> api;

    /** @param ssl the TLS context, or {@code null} for plain HTTP */
    public ServerInitializer(SslContext ssl, Supplier<ChannelHandler> api) {
        this.ssl = ssl;
        this.api = api;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        if (ssl != null) {
            channel.pipeline().addLast("ssl", ssl.newHandler(channel.alloc()));
        }
        channel.pipeline().addLast("http", new HttpServerCodec());
        channel.pipeline().addLast("utf8", new Utf8HeaderValues());
        channel.pipeline().addLast("headers", new HeaderCapture());
        channel.pipeline().addLast("aggregator", new HttpObjectAggregator(MAX_BODY));
        channel.pipeline().addLast("chunked", new ChunkedWriteHandler());
        channel.pipeline().addLast("api", api.get());
    }
}
