package dev.clusterconnect.routes.component.tunnel;

import dev.clusterconnect.routes.ClusterConnectHeaders;
import dev.clusterconnect.routes.http.HopByHop;
import dev.clusterconnect.routes.http.AccessLog;
import dev.clusterconnect.routes.http.HttpCall;
import dev.clusterconnect.routes.http.RequestIds;
import dev.clusterconnect.routes.http.HttpReply;
import dev.clusterconnect.routes.http.RequestHead;
import dev.clusterconnect.routes.http.ResponseHead;
import dev.clusterconnect.routes.status.KubeStatusException;
import dev.clusterconnect.routes.stream.BytesSource;
import dev.clusterconnect.routes.stream.DiscardingSink;
import dev.clusterconnect.routes.tunnel.SessionListener;
import dev.clusterconnect.routes.tunnel.TunnelSession;
import dev.clusterconnect.routes.tunnel.TunnelStream;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Agent side: keeps one tunnel to the relay up (reconnecting with backoff and jitter) and turns
 * every stream the relay opens into one exchange whose body is an {@link HttpCall}.
 */
public final class TunnelConsumer extends DefaultConsumer implements SessionListener {

    private static final Logger LOG = LoggerFactory.getLogger(TunnelConsumer.class);
    /** A tunnel that lived this long was healthy: the next outage starts the backoff afresh. */
    private static final Duration STABLE = Duration.ofSeconds(30);

    private final Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));
    private volatile TunnelSession session;
    private volatile boolean running;
    private EventLoopGroup group;
    private long connectedAt;

    public TunnelConsumer(TunnelEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    @Override
    public TunnelEndpoint getEndpoint() {
        return (TunnelEndpoint) super.getEndpoint();
    }

    /** The current tunnel, or null while disconnected. */
    public TunnelSession session() {
        return session;
    }

    public boolean isConnected() {
        TunnelSession current = session;
        return current != null && !current.isClosed();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        group = getEndpoint().getComponent().workers();
        running = true;
        dial();
    }

    @Override
    protected void doStop() throws Exception {
        running = false;
        TunnelSession current = session;
        if (current != null) {
            // No new streams; those open get a short while to finish (Camel's own shutdown
            // timeout bounds the whole stop).
            current.goAway("agent is shutting down");
            long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
            while (current.openStreams() > 0 && System.nanoTime() < until) {
                Thread.sleep(50); // polling a shutdown deadline, not a test condition
            }
            current.close();
        }
        super.doStop();
    }

    private void dial() {
        if (!running) {
            return;
        }
        new TunnelDialer(getEndpoint(), group).dial().addListener(f -> {
            if (f.isSuccess()) {
                Channel channel = (Channel) f.getNow();
                connectedAt = System.nanoTime();
                session = TunnelSession.start(channel, TunnelSession.Role.AGENT, getEndpoint().settings(), this,
                        getEndpoint().getClusterId());
                LOG.info("tunnel to {} is up", getEndpoint().uri().getHost());
            } else {
                retryLater(f.cause().getMessage());
            }
        });
    }

    private void retryLater(String why) {
        if (!running) {
            return;
        }
        dev.clusterconnect.routes.metrics.Metrics.reconnect();
        Duration delay = backoff.next();
        LOG.warn("tunnel to {} is down ({}); retrying in {} ms", getEndpoint().uri().getHost(), why, delay.toMillis());
        group.schedule(this::dial, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void onClosed(TunnelSession closed) {
        session = null;
        if (System.nanoTime() - connectedAt > STABLE.toNanos()) {
            backoff.reset();
        }
        retryLater("connection closed");
    }

    @Override
    public void onGoAway(TunnelSession draining, String reason) {
        // The relay is going away: open a new tunnel now (likely to another replica) and let the
        // old one finish its streams; the relay closes it.
        if (running) {
            group.execute(this::dial);
        }
    }

    @Override
    public void onOpen(TunnelStream stream, RequestHead head) {
        long start = System.nanoTime();
        String correlationId = RequestIds.adoptOrGenerate(head.headers().get(RequestIds.HEADER));
        HttpCall call = new HttpCall(head, stream.inbound(), null, correlationId);
        LOG.debug("[{}] stream {}: {} {}", correlationId, stream.id(), head.method(), head.path());
        Exchange exchange = createExchange(false);
        exchange.getMessage().setBody(call);
        exchange.getMessage().setHeader(ClusterConnectHeaders.CORRELATION_ID, correlationId);
        exchange.getMessage().setHeader(ClusterConnectHeaders.METHOD, head.method());
        exchange.getMessage().setHeader(ClusterConnectHeaders.PATH, head.path());
        exchange.getMessage().setHeader(ClusterConnectHeaders.QUERY, head.query());
        exchange.getMessage().setHeader(ClusterConnectHeaders.CLUSTER_ID, getEndpoint().getClusterId());
        getAsyncProcessor().process(exchange, doneSync -> {
            try {
                reply(stream, exchange, call, start);
            } finally {
                releaseExchange(exchange, false);
            }
        });
    }

    private void reply(TunnelStream stream, Exchange exchange, HttpCall call, long start) {
        Object body = exchange.getMessage().getBody();
        if (exchange.getException() == null && body instanceof HttpReply reply) {
            AccessLog.replied(getRouteId(), call, reply.head().status(), start);
            HopByHop.stripResponse(reply.head().headers(), reply.head().isSwitchingProtocols());
            if (stream.respond(reply.head())) {
                stream.pipeFrom(reply.body());
            } else {
                reply.body().cancel("response head too large");
            }
            return;
        }
        KubeStatusException status = statusOf(exchange, call);
        AccessLog.replied(getRouteId(), call, status.code(), start);
        call.body().start(DiscardingSink.INSTANCE);
        ResponseHead head = ResponseHead.of(status.code());
        byte[] json = status.body();
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        head.headers().set(HttpHeaderNames.CONTENT_LENGTH, json.length);
        if (stream.respond(head)) {
            stream.pipeFrom(new BytesSource(json));
        }
    }

    private static KubeStatusException statusOf(Exchange exchange, HttpCall call) {
        Exception failure = exchange.getException();
        if (failure instanceof KubeStatusException status) {
            return status;
        }
        if (failure == null) {
            LOG.error("[{}] route ended without a reply", call.correlationId());
        } else {
            LOG.error("[{}] {} {} failed", call.correlationId(), call.head().method(), call.head().path(), failure);
        }
        return new KubeStatusException(500, "internal error in the agent (request id " + call.correlationId() + ")");
    }
}
