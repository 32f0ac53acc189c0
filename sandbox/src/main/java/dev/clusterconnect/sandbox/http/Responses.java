package dev.clusterconnect.sandbox.http;

import dev.clusterconnect.sandbox.store.ApiException;
import dev.clusterconnect.sandbox.store.Json;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** Writes complete and streamed HTTP responses, keeping the connection alive when the client wants. */
public final class Responses {

    /** The content type of every JSON answer, errors included. */
    public static final String JSON = "application/json";

    private Responses() {}

    /** A JSON body with a status code. */
    public static void json(ChannelHandlerContext ctx, HttpRequest request, int code, Object tree) {
        full(ctx, request, code, JSON, Json.bytes(tree));
    }

    /** A Kubernetes {@code Status} for a failure. */
    public static void status(ChannelHandlerContext ctx, HttpRequest request, ApiException failure) {
        json(ctx, request, failure.code(), failure.toStatus());
    }

    /** A plain-text body. */
    public static void text(ChannelHandlerContext ctx, HttpRequest request, int code, String text) {
        full(ctx, request, code, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    /** A complete response. */
    public static void full(ChannelHandlerContext ctx, HttpRequest request, int code, String type, byte[] body) {
        FullHttpResponse response = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(code), Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache, private");
        HttpUtil.setContentLength(response, body.length);
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        HttpUtil.setKeepAlive(response, keepAlive);
        if (keepAlive) {
            ctx.writeAndFlush(response);
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** The head of a chunked response whose body follows as {@code HttpContent} messages. */
    public static HttpResponse chunkedHead(HttpRequest request, String type) {
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache, private");
        HttpUtil.setTransferEncodingChunked(response, true);
        HttpUtil.setKeepAlive(response, HttpUtil.isKeepAlive(request));
        return response;
    }

    /** Whether the client asked for a connection upgrade to {@code protocol} (case-insensitive). */
    public static boolean isUpgrade(HttpRequest request, String protocol) {
        return request.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)
                && protocol.equalsIgnoreCase(request.headers().get(HttpHeaderNames.UPGRADE, ""));
    }
}
