package dev.clusterconnect.routes.component.kubeserver;

import dev.clusterconnect.routes.http.HopByHop;
import dev.clusterconnect.routes.http.HttpCall;
import dev.clusterconnect.routes.http.RequestHead;
import dev.clusterconnect.routes.http.RequestIds;
import dev.clusterconnect.routes.status.KubeStatusException;
import dev.clusterconnect.routes.stream.ChannelSource;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection of an HTTP server: turns each request into an {@link HttpCall} and hands
 * it to the consumer for its path. While a response is being written the socket keeps being read,
 * so a client that goes away (kubectl interrupted during a watch) is noticed at once and the
 * upstream is cancelled; a pipelined next request is held until the response is done.
 */
final class EdgeHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(EdgeHandler.class);

    private final java.util.function.BiFunction<RequestHead, io.netty.channel.Channel, ? extends RequestTarget> router;
    private final java.util.function.BooleanSupplier closing;
    private final RequestDeadlines deadlines;
    private ChannelSource body;
    private HttpCall call;
    private Responder responder;
    private boolean upgradeRequest;
    private boolean requestComplete;
    private boolean refused;
    private final java.util.ArrayDeque<Object> pipelined = new java.util.ArrayDeque<>();
    private ChannelHandlerContext context;

    EdgeHandler(
            java.util.function.BiFunction<RequestHead, io.netty.channel.Channel, ? extends RequestTarget> router,
            java.util.function.BooleanSupplier closing,
            RequestDeadlines deadlines) {
        this.router = router;
        this.closing = closing;
        this.deadlines = deadlines;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        context = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (requestComplete && responder != null) {
            // HTTP/1.1 pipelining: the next request waits for this response.
            LOG.debug(
                    "holding a pipelined {} until the response is done",
                    msg.getClass().getSimpleName());
            pipelined.add(msg);
            ctx.channel().config().setAutoRead(false);
            return;
        }
        if (msg instanceof HttpRequest request) {
            onRequest(ctx, request);
        }
        if (msg instanceof HttpContent content) {
            onContent(content);
        } else if (msg instanceof ByteBuf raw) {
            onRaw(raw);
        }
    }

    private void onRequest(ChannelHandlerContext ctx, HttpRequest request) {
        ctx.channel().config().setAutoRead(false);
        deadlines.headRead();
        String correlationId = RequestIds.adoptOrGenerate(request.headers().get(RequestIds.HEADER));
        KubeStatusException refusal = HeadChecks.refusal(request);
        boolean keepAlive = refusal == null && HttpUtil.isKeepAlive(request) && !closing.getAsBoolean();
        responder = new Responder(ctx.channel(), request.method().name(), keepAlive, this::onResponseDone);
        if (refusal != null) {
            refuse(correlationId, refusal, request);
            return;
        }
        RequestHead head = new RequestHead(request.method().name(), request.uri(), request.headers());
        upgradeRequest = head.isUpgrade();
        if (!upgradeRequest
                && (HttpUtil.isTransferEncodingChunked(request) || HttpUtil.getContentLength(request, 0L) > 0)) {
            deadlines.awaitBody();
        }
        // Hop-by-hop headers are this hop's business: gone before any route step adds its own
        // headers, so a client cannot name those in Connection and have a later hop drop them.
        HopByHop.stripRequest(head.headers(), upgradeRequest);
        requestComplete = false;
        body = new ChannelSource(ctx.channel(), reason -> ctx.channel().close());
        RequestTarget consumer = router.apply(head, ctx.channel());
        if (consumer == null) {
            responder.fail(new KubeStatusException(404, "the server could not find the requested resource"), false);
            return;
        }
        call = new HttpCall(head, body, ctx.channel(), correlationId);
        consumer.handle(call, responder);
    }

    /**
     * Answers a request no route may see, then closes: where its body ends (and so where the next
     * request starts) cannot be trusted, so nothing more is read from this connection.
     */
    private void refuse(String correlationId, KubeStatusException refusal, HttpRequest request) {
        // The rule broken, never the head: it may carry a token (and Netty's parse error quotes it).
        String cause = request.decoderResult().isFailure()
                ? request.decoderResult().cause().getClass().getSimpleName()
                : "-";
        LOG.info(
                "[{}] refused a request ({}, decoder {}): {}",
                correlationId,
                refusal.code(),
                cause,
                refusal.getMessage());
        refused = true;
        body = null;
        responder.fail(refusal, false);
    }

    private void onContent(HttpContent content) {
        if (body == null) {
            content.release();
            return;
        }
        if (content.content().isReadable()) {
            body.onData(content.content().retain());
        }
        content.release();
        if (content instanceof LastHttpContent && !upgradeRequest) {
            deadlines.bodyRead();
            ChannelSource ended = body;
            requestComplete = true;
            // The response may end within this call (one that ends with the request) and reset
            // this handler for the next request: nothing of this one is touched after it.
            ended.onEnd();
            // Keep reading: that is how a client closing its connection is noticed.
            ended.channel().config().setAutoRead(true);
        }
    }

    private void onRaw(ByteBuf raw) {
        if (body == null) {
            ReferenceCountUtil.release(raw);
        } else {
            body.onData(raw);
        }
    }

    /** The response was written completely: serve the next request, or close. */
    private void onResponseDone(boolean keepAlive) {
        ChannelSource finished = body;
        LOG.debug(
                "response done: keepAlive={} requestEnded={} upgrade={} pipelined={}",
                keepAlive,
                finished != null && finished.isEnded(),
                upgradeRequest,
                pipelined.size());
        if (!keepAlive || closing.getAsBoolean() || finished == null || !finished.isEnded() || upgradeRequest) {
            if (finished != null || refused) {
                context.channel().close();
            }
            return;
        }
        body = null;
        call = null;
        responder = null;
        requestComplete = false;
        deadlines.betweenRequests();
        // Replay in order; whatever follows the next complete request is held again.
        java.util.List<Object> held = new java.util.ArrayList<>(pipelined);
        pipelined.clear();
        held.forEach(msg -> channelRead(context, msg));
        if (pipelined.isEmpty() && !refused) {
            finished.channel().config().setAutoRead(true);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        pipelined.forEach(ReferenceCountUtil::release);
        pipelined.clear();
        if (body != null && upgradeRequest) {
            body.onEnd(); // an upgraded connection ends by closing; its last bytes must arrive first
        } else if (body != null) {
            body.onFailure("client connection closed");
        }
        if (responder != null) {
            responder.clientGone();
        }
        if (call != null) {
            call.abandonment().abandon();
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.info("client connection failed: {}", cause.toString());
        ctx.close();
    }

    /** The server is closing: an idle connection goes now, a busy one when its response is done. */
    void closeWhenIdle() {
        if (responder == null && body == null && context != null) {
            context.close();
        }
    }
}
