package dev.clusterconnect.routes.component.kubeserver;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a connection that makes the server wait between requests, the way nginx's
 * {@code client_header_timeout} and {@code keepalive_timeout} do:
 *
 * <ul>
 *   <li>a new connection must deliver a complete request head within the <em>header
 *       timeout</em> of connecting (the TLS handshake included: this handler sees the connection
 *       become active before the handshake starts);
 *   <li>a kept-alive connection may sit without a byte for the <em>idle timeout</em> after a
 *       response; once a byte of the next request arrives, the rest of its head is due within
 *       the header timeout;
 *   <li>a request body (announced by its head) may pause for at most the <em>body timeout</em>
 *       between two reads, nginx's {@code client_body_timeout}: a client that announces a body
 *       and sends it a byte a minute would otherwise hold a stream, and the upstream request
 *       behind it, for ever. Only while the server is reading: when back pressure has stopped
 *       the reading (the upstream is slow to take the body) the pause is the server's own.
 * </ul>
 *
 * Once the request is read there is no timer at all: a watch or {@code logs -f} may go quiet for
 * hours, and an upgraded connection (exec, port-forward) or an agent's tunnel has its own life;
 * only the client's own sending is timed. On expiry the connection just closes, with
 * no 408: nobody may be reading (a half-open socket, a handshake never finished), and an answer
 * would only give a slow client more of the server's time. Sits between TLS and the HTTP decoder,
 * so it sees the request's bytes, not the record layer's.
 */
final class RequestDeadlines extends ChannelInboundHandlerAdapter {

    static final String NAME = "request-deadlines";
    private static final Logger LOG = LoggerFactory.getLogger(RequestDeadlines.class);

    private enum Phase {
        HEAD,
        IDLE,
        BODY,
        SERVING
    }

    private final long headerTimeoutNanos;
    private final long idleTimeoutNanos;
    private final long bodyTimeoutNanos;
    private ChannelHandlerContext context;
    private Phase phase = Phase.HEAD;
    private ScheduledFuture<?> timer;

    /** A zero duration turns that timeout off. */
    RequestDeadlines(Duration headerTimeout, Duration idleTimeout, Duration bodyTimeout) {
        this.headerTimeoutNanos = headerTimeout.toNanos();
        this.idleTimeoutNanos = idleTimeout.toNanos();
        this.bodyTimeoutNanos = bodyTimeout.toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        context = ctx;
        if (ctx.channel().isActive()) {
            arm(Phase.HEAD);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (timer == null && phase == Phase.HEAD) {
            arm(Phase.HEAD);
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (phase == Phase.IDLE && msg instanceof ByteBuf bytes && bytes.isReadable()) {
            arm(Phase.HEAD); // the next request began: its head is due like the first one's
        } else if (phase == Phase.BODY && msg instanceof ByteBuf bytes && bytes.isReadable()) {
            arm(Phase.BODY); // the body moves: the next pause is timed from here
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancel();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    /** A complete request head arrived: no timer until its response is done. */
    void headRead() {
        phase = Phase.SERVING;
        cancel();
    }

    /** The head announced a body: each pause in it is timed until {@link #bodyRead()}. */
    void awaitBody() {
        if (phase == Phase.SERVING) {
            arm(Phase.BODY);
        }
    }

    /** The request body is complete. */
    void bodyRead() {
        if (phase == Phase.BODY) {
            phase = Phase.SERVING;
            cancel();
        }
    }

    /** The response is done and the connection is kept for the next request. */
    void betweenRequests() {
        if (phase == Phase.SERVING) {
            arm(Phase.IDLE);
        }
    }

    private void arm(Phase next) {
        cancel();
        phase = next;
        long nanos = switch (next) {
            case HEAD -> headerTimeoutNanos;
            case IDLE -> idleTimeoutNanos;
            case BODY -> bodyTimeoutNanos;
            case SERVING -> 0;
        };
        if (nanos > 0) {
            timer = context.executor().schedule(() -> expire(next), nanos, TimeUnit.NANOSECONDS);
        }
    }

    private void expire(Phase expired) {
        if (phase != expired) {
            return;
        }
        if (expired == Phase.BODY && !context.channel().config().isAutoRead()) {
            // Not reading: the upstream holds the body back, or the route has not started yet.
            arm(Phase.BODY);
            return;
        }
        // Debug only: a flood of slow connections must not become a flood of log lines.
        LOG.debug(
                "closing {}: {}",
                context.channel().remoteAddress(),
                switch (expired) {
                    case HEAD -> "no complete request head in time";
                    case IDLE -> "idle between requests";
                    default -> "the request body paused too long";
                });
        context.close();
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
