package dev.clusterconnect.routes.component.kubeclient;

import dev.clusterconnect.routes.http.HttpCall;
import dev.clusterconnect.routes.http.HttpReply;
import dev.clusterconnect.routes.http.RequestHead;
import dev.clusterconnect.routes.status.KubeStatusException;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request's way to the upstream. It goes out on a pooled connection or a new one; when that
 * connection dies before the server sent a byte (a relay replica behind the load balancer went
 * away, and its idle connections with it), a {@linkplain #replayable replayable} request is sent
 * again on a new connection, the way Go's net/http Transport does it. A failed dial is tried once
 * more after a short pause, since nothing of the request has left then.
 *
 * <p>Attempts follow each other, never overlap: each next one starts from a callback of the one
 * before, handed from loop to loop through Netty's task queues, so the fields need no locking
 * (but for the two an {@linkplain HttpCall#abandonment() abandonment} reads from another thread).
 *
 * <p>A call abandoned before its head (the client went away) closes its connection: the server
 * stops working for nobody, and a half-done exchange must not go back to the pool.
 */
final class UpstreamCall {

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamCall.class);

    /** The first attempt and two more on new connections; Go's Transport stops at a similar count. */
    static final int MAX_ATTEMPTS = 3;
    /** Long enough for a load balancer to stop picking a backend that just refused us. */
    static final long REDIAL_DELAY_MILLIS = 150;
    /** RFC 9110's safe methods that kubectl sends; TRACE never reaches us. */
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private final HttpCall call;
    private final RequestHead head;
    private final KubeClientEndpoint endpoint;
    private final ConnectionPool pool;
    private final EventLoop home;
    private final RequestBody body;
    private final boolean replayable;
    private final Consumer<HttpReply> onReply;
    private final Consumer<KubeStatusException> onFailure;
    private int attempts;
    private boolean redialed;
    private volatile Channel current;
    private volatile boolean answered;

    UpstreamCall(
            HttpCall call,
            KubeClientEndpoint endpoint,
            Consumer<HttpReply> onReply,
            Consumer<KubeStatusException> onFailure) {
        this.call = call;
        this.head = call.head();
        this.endpoint = endpoint;
        this.pool = endpoint.pool();
        // A call that arrived on a socket of ours goes out on a connection of that socket's loop.
        this.home = call.connection().map(Channel::eventLoop).orElse(null);
        this.body = new RequestBody(call.body());
        this.replayable = replayable(head);
        this.onReply = reply -> {
            answered = true;
            onReply.accept(reply);
        };
        this.onFailure = onFailure;
    }

    /**
     * Whether a request may be sent twice: a method that changes nothing, no upgrade (an exec must
     * never start twice), and no body by its framing. The edge's decoder and the tunnel deliver
     * exactly the body that Content-Length or chunked framing announce, so a head with neither has
     * none; {@link RequestBody#untouched()} still checks that no byte went out.
     */
    static boolean replayable(RequestHead head) {
        return SAFE_METHODS.contains(head.method()) && !head.isUpgrade() && !announcesBody(head);
    }

    /** The head announces body bytes after it: chunked, or a Content-Length other than 0. */
    static boolean announcesBody(RequestHead head) {
        HttpHeaders headers = head.headers();
        String length = headers.get(HttpHeaderNames.CONTENT_LENGTH);
        return headers.contains(HttpHeaderNames.TRANSFER_ENCODING)
                || (length != null && !length.trim().equals("0"));
    }

    void start() {
        call.abandonment().whenAbandoned(this::abandoned);
        attempt(pool.acquire(home));
    }

    /** The client went away: an exchange still waiting for its head closes its connection. */
    private void abandoned() {
        Channel channel = current;
        if (channel != null && !answered) {
            channel.eventLoop().execute(() -> {
                if (!answered && current == channel) {
                    LOG.debug("[{}] the client went away before the answer; closing {}", call.correlationId(), channel);
                    channel.close();
                }
            });
        }
    }

    private void attempt(ChannelFuture connecting) {
        connecting.addListener((ChannelFuture connected) -> {
            if (connected.isSuccess()) {
                send(connected.channel());
            } else {
                connectFailed(connected.cause());
            }
        });
    }

    private void send(Channel channel) {
        if (call.abandonment().isAbandoned()) {
            channel.close(); // unused, but out of the pool: closing is the simple way back
            giveUp(KubeStatusException.clientClosedRequest(), "client went away");
            return;
        }
        current = channel;
        attempts++;
        UpstreamExchange exchange = new UpstreamExchange(
                body, announcesBody(head), endpoint.headDeadline(), onReply, this::unanswered, pool::release);
        if (channel.eventLoop().inEventLoop()) {
            write(channel, exchange);
        } else {
            channel.eventLoop().execute(() -> write(channel, exchange));
        }
    }

    private void write(Channel channel, UpstreamExchange exchange) {
        LOG.debug("[{}] {} {} on {} (attempt {})", call.correlationId(), head.method(), head.path(), channel, attempts);
        if (!channel.isActive()) {
            // Closed between leaving the pool and now: no handler of ours would hear of it.
            unanswered(UpstreamExchange.closedBeforeAnswer(), true);
            return;
        }
        channel.pipeline().addLast(UpstreamExchange.NAME, exchange);
        // A write that fails leaves a connection nobody can trust; closing it reports the failure.
        channel.writeAndFlush(request()).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        exchange.startRequestBody(channel, head.isUpgrade());
    }

    /** A fresh message per attempt, from the same head: the same headers, the same request id. */
    private DefaultHttpRequest request() {
        boolean upgrade = head.isUpgrade();
        String target = endpoint.upstream().basePath() + head.target();
        DefaultHttpRequest request =
                new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(head.method()), target);
        request.headers().set(head.headers());
        // Hop-by-hop headers were removed where the request entered; a route step may not
        // reintroduce connection management: only an upgrade gets a Connection header.
        request.headers().remove(HttpHeaderNames.CONNECTION);
        if (upgrade) {
            request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
        } else {
            request.headers().remove(HttpHeaderNames.UPGRADE);
        }
        request.headers().set(HttpHeaderNames.HOST, endpoint.upstream().authority());
        return request;
    }

    /** The connection ended before a response head: send again only what the server cannot have seen matter. */
    private void unanswered(KubeStatusException error, boolean silent) {
        if (call.abandonment().isAbandoned()) {
            giveUp(KubeStatusException.clientClosedRequest(), "client went away");
            return;
        }
        if (silent && replayable && attempts < MAX_ATTEMPTS && body.untouched()) {
            // The request id and method only: header values carry tokens.
            LOG.info(
                    "[{}] {} {}: the upstream connection closed before an answer; sending again on a new connection ({} of {})",
                    call.correlationId(),
                    head.method(),
                    head.path(),
                    attempts + 1,
                    MAX_ATTEMPTS);
            attempt(pool.connect(home));
            return;
        }
        giveUp(error, "upstream closed");
    }

    private void connectFailed(Throwable cause) {
        // A timeout already waited the full connect timeout; a second one would double kubectl's wait.
        if (!redialed && !(cause instanceof ConnectTimeoutException)) {
            redialed = true;
            LOG.info(
                    "[{}] cannot reach {} ({}); dialling again in {} ms",
                    call.correlationId(),
                    endpoint.upstream().authority(),
                    cause.toString(),
                    REDIAL_DELAY_MILLIS);
            try {
                pool.loop(home).schedule(() -> attempt(pool.connect(home)), REDIAL_DELAY_MILLIS, TimeUnit.MILLISECONDS);
                return;
            } catch (RejectedExecutionException shuttingDown) {
                // fall through: the component is stopping
            }
        }
        LOG.warn(
                "[{}] cannot reach {}: {}",
                call.correlationId(),
                endpoint.upstream().authority(),
                cause.toString());
        giveUp(
                new KubeStatusException(502, "cannot reach " + endpoint.describe() + ": " + kindOf(cause)),
                "upstream unreachable");
    }

    /**
     * What went wrong, for the caller, without the exception's text: that names the upstream's
     * internal address (10.0.0.1:6443), which is the operator's business; the WARN line has it.
     */
    static String kindOf(Throwable cause) {
        if (cause instanceof ConnectTimeoutException) {
            return "no answer within the connect timeout";
        } else if (cause instanceof java.net.ConnectException) {
            return "connection refused";
        } else if (cause instanceof java.net.UnknownHostException) {
            return "unknown host";
        } else if (cause instanceof javax.net.ssl.SSLException
                || cause instanceof io.netty.handler.ssl.NotSslRecordException) {
            return "TLS handshake failed";
        }
        return "connection failed (the log of the hop that dialled has the details)";
    }

    private void giveUp(KubeStatusException error, String reason) {
        onFailure.accept(error);
        body.cancel(reason);
    }
}
