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
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request on one upstream connection: writes the request, reads the response head, then
 * streams the body (or, after a 101, the raw bytes both ways). Installed as the connection's last
 * handler for the duration of the request.
 *
 * <p>A failure before the response head is reported once, with whether sending the request again
 * on a new connection could help at all; {@link UpstreamCall} decides whether it may. A head that
 * does not come within the {@link HeadDeadline} is such a failure, never sent again.
 *
 * <p>The connection goes back to the pool only after a complete, well-framed exchange: the whole
 * request sent before the response ended (a server that answers early never read the rest, and
 * would take it for the next request), the response ended as its framing said, and not one byte
 * more. Anything else closes it: a connection out of step with its server answers the next
 * request with the wrong response, or with none at all.
 */
final class UpstreamExchange extends ChannelInboundHandlerAdapter {

    static final String NAME = "upstream-exchange";

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamExchange.class);

    /** How an exchange that got no response head ended. */
    interface Unanswered {
        /**
         * @param silent the server sent no byte at all and the connection just closed, reset or
         *     failed: what a connection the server (or its replica) gave up on looks like
         */
        void failed(KubeStatusException error, boolean silent);
    }

    private final RequestBody requestBody;
    private final boolean bodyAnnounced;
    private final HeadDeadline deadline;
    private final Consumer<HttpReply> onReply;
    private final Unanswered onFailure;
    private final Consumer<Channel> onReusable;
    private FirstResponseByte answer;
    private ScheduledFuture<?> headTimer;
    private boolean headOverdue;
    private boolean tlsRejected;
    private boolean malformed;
    private ChannelSource body;
    private ChannelSink requestSink;
    private boolean requestDone;
    private boolean responseDone;
    private boolean keepAlive;
    private boolean upgraded;
    private boolean spoiled;

    /**
     * @param bodyAnnounced the request head announces a body (Content-Length above 0, or chunked):
     *     one the server may answer without reading
     */
    UpstreamExchange(
            RequestBody requestBody,
            boolean bodyAnnounced,
            HeadDeadline deadline,
            Consumer<HttpReply> onReply,
            Unanswered onFailure,
            Consumer<Channel> onReusable) {
        this.requestBody = requestBody;
        this.bodyAnnounced = bodyAnnounced;
        this.deadline = deadline;
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
        headTimer = deadline.arm(ctx.channel(), () -> {
            if (body == null && ctx.channel().isActive()) {
                headOverdue = true;
                ctx.close();
            }
        });
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
        if (responseDone) {
            // More than the response framed: the rest of a body longer than its Content-Length,
            // or bytes the decoder held past the end (handed over raw when the codec is renewed).
            ReferenceCountUtil.release(msg);
            if (!spoiled) {
                LOG.info(
                        "{} sent more than the response it framed; closing the connection, not reusing it",
                        ctx.channel());
            }
            spoiled = true;
            ctx.close();
            return;
        }
        if (body == null
                && msg instanceof HttpResponse response
                && response.decoderResult().isFailure()) {
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
        headTimer.cancel(false);
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
        if (content.decoderResult().isFailure()) {
            // A broken chunk: the decoder ends the message there, but the body is not complete.
            content.release();
            LOG.info(
                    "{} sent a malformed response body ({}); closing the connection",
                    ctx.channel(),
                    content.decoderResult().cause().toString());
            body.onFailure("the upstream response body is malformed");
            ctx.close();
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
        if (!responseDone || upgraded || !channel.isActive()) {
            return;
        }
        if (!requestDone) {
            // Answered before the whole body went out: the server will not read the rest as this
            // request's. A bodiless request is complete on the wire with its head; its end follows.
            if (bodyAnnounced || !keepAlive) {
                channel.close();
            }
            return;
        }
        if (!keepAlive) {
            channel.close();
            return;
        }
        // Bytes the old decoder still holds come to this handler, which closes the connection.
        ConnectionPool.renewCodec(channel);
        if (!spoiled) {
            channel.pipeline().remove(this);
            channel.config().setAutoRead(true);
            onReusable.accept(channel);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        headTimer.cancel(false);
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
        if (headOverdue) {
            // The server may be working on it still: never sent again.
            onFailure.failed(deadline.expired(), false);
            return;
        }
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
