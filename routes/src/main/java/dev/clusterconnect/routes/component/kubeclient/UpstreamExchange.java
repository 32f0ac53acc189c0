package dev.clusterconnect.routes.component.kubeclient;

import dev.clusterconnect.routes.http.HttpReply;
import dev.clusterconnect.routes.http.ResponseHead;
import dev.clusterconnect.routes.status.KubeStatusException;
import dev.clusterconnect.routes.stream.ChannelSink;
import dev.clusterconnect.routes.stream.ChannelSource;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;

/**
 * One request on one upstream connection: writes the request, reads the response head, then
 * streams the body (or, after a 101, the raw bytes both ways). Installed as the connection's last
 * handler for the duration of the request.
 *
 * <p>A failure before the response head is reported once, with whether sending the request again
 * on a new connection could help at all; {@link UpstreamCall} decides whether it may.
 */
final class UpstreamExchange extends ChannelInboundHandlerAdapter {

    static final String NAME = "upstream-exchange";

    /** How an exchange that got no response head ended. */
    interface Unanswered {
        /**
         * @param silent the server sent no byte at all and the connection just closed, reset or
         *     failed: what a connection the server (or its replica) gave up on looks like
         */
        void failed(KubeStatusException error, boolean silent);
    }

    private final RequestBody requestBody;
    private final Consumer<HttpReply> onReply;
    private final Unanswered onFailure;
    private final Consumer<Channel> onReusable;
    private FirstResponseByte answer;
    private boolean tlsRejected;
    private boolean malformed;
    private ChannelSource body;
    private ChannelSink requestSink;
    private boolean requestDone;
    private boolean responseDone;
    private boolean keepAlive;
    private boolean upgraded;

    UpstreamExchange(RequestBody requestBody, Consumer<HttpReply> onReply, Unanswered onFailure, Consumer<Channel> onReusable) {
        this.requestBody = requestBody;
        this.onReply = onReply;
        this.onFailure = onFailure;
        this.onReusable = onReusable;
    }

    static KubeStatusException closedBeforeAnswer() {
        return new KubeStatusException(502, "the upstream server closed the connection before it answered");
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        answer = FirstResponseByte.expect(ctx.channel());
    }

    /** Starts streaming the request body after the head was written. */
    void startRequestBody(Channel channel, boolean upgrade) {
        requestSink = new ChannelSink(channel, true, () -> {
            requestDone = true;
            maybeReusable(channel);
        });
        if (!upgrade) {
            requestBody.sendTo(requestSink);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (body == null && msg instanceof HttpResponse response && response.decoderResult().isFailure()) {
            // The decoder turns a head cut short by a close (or too large) into a message with the
            // status line it had read: no answer to pass on as one.
            malformed = true;
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        if (msg instanceof HttpResponse response) {
            onHead(ctx, response);
        }
        if (msg instanceof HttpContent content) {
            onContent(ctx, content);
        } else if (msg instanceof ByteBuf raw) {
            if (body != null) {
                body.onData(raw);
            } else {
                ReferenceCountUtil.release(raw);
            }
        }
    }

    private void onHead(ChannelHandlerContext ctx, HttpResponse response) {
        int status = response.status().code();
        if (status >= 100 && status < 200 && status != 101) {
            return; // 100 Continue and friends: the real response follows
        }
        keepAlive = HttpUtil.isKeepAlive(response);
        Channel channel = ctx.channel();
        body = new ChannelSource(channel, reason -> channel.close());
        ResponseHead head = new ResponseHead(status, response.headers());
        if (status == 101) {
            upgraded = true;
            // The rest of the connection is the upgraded protocol's: bytes the decoder already
            // holds are passed on to this handler as raw buffers when the codec leaves.
            channel.pipeline().remove(HttpClientCodec.class);
            ChannelSink raw = new ChannelSink(channel, false, channel::close);
            requestBody.sendTo(raw);
        }
        channel.config().setAutoRead(false);
        onReply.accept(new HttpReply(head, body));
    }

    private void onContent(ChannelHandlerContext ctx, HttpContent content) {
        // A 101 is followed by an empty last content from the decoder: it is not the end of the
        // upgraded connection, whose bytes arrive raw from here on.
        if (body == null || upgraded) {
            content.release();
            return;
        }
        if (content.content().isReadable()) {
            body.onData(content.content().retain());
        }
        content.release();
        if (content instanceof LastHttpContent) {
            body.onEnd();
            responseDone = true;
            maybeReusable(ctx.channel());
        }
    }

    private void maybeReusable(Channel channel) {
        if (requestDone && responseDone && keepAlive && !upgraded && channel.isActive()) {
            channel.pipeline().remove(this);
            channel.config().setAutoRead(true);
            onReusable.accept(channel);
        } else if (responseDone && !requestDone && !keepAlive) {
            channel.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (body == null) {
            failedUnanswered();
        } else if (upgraded) {
            // The normal end of an upgraded connection: an END that follows the last bytes in
            // order, not a reset that could overtake them (exec's exit status is the last frame).
            body.onEnd();
        } else {
            body.onFailure("upstream connection closed");
        }
        super.channelInactive(ctx);
    }

    private void failedUnanswered() {
        // Without a watch nothing proves silence: count it as answered, never sent again.
        boolean silent = answer != null && !answer.arrived() && !tlsRejected;
        KubeStatusException error = malformed
                ? new KubeStatusException(502, "the upstream server sent a response head that does not parse")
                : closedBeforeAnswer();
        onFailure.failed(error, silent);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A server whose certificate was refused will be refused again: not worth a new connection.
        tlsRejected |= causedBy(cause, SSLException.class);
        ctx.close();
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
