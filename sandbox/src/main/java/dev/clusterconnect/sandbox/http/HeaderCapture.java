package dev.clusterconnect.sandbox.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.AttributeKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Copies each request's header lines as they arrived, before the aggregator adds or rewrites any
 * (it sets {@code content-length} and drops {@code transfer-encoding}), so the record is exact.
 */
final class HeaderCapture extends ChannelInboundHandlerAdapter {

    /** The headers of the request being aggregated on this channel. */
    static final AttributeKey<List<Map.Entry<String, String>>> RECEIVED = AttributeKey.valueOf("sandbox.headers");

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request) {
            List<Map.Entry<String, String>> headers = new ArrayList<>();
            request.headers()
                    .iteratorAsString()
                    .forEachRemaining(h -> headers.add(Map.entry(h.getKey(), h.getValue())));
            ctx.channel().attr(RECEIVED).set(headers);
        }
        ctx.fireChannelRead(msg);
    }
}
