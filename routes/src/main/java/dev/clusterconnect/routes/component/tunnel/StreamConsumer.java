package dev.clusterconnect.routes.component.tunnel;

import dev.clusterconnect.routes.ClusterConnectHeaders;
import dev.clusterconnect.routes.http.AccessLog;
import dev.clusterconnect.routes.http.HopByHop;
import dev.clusterconnect.routes.http.HttpCall;
import dev.clusterconnect.routes.http.HttpReply;
import dev.clusterconnect.routes.http.RequestHead;
import dev.clusterconnect.routes.http.RequestIds;
import dev.clusterconnect.routes.status.KubeStatusException;
import dev.clusterconnect.routes.status.StatusMapping;
import dev.clusterconnect.routes.status.StatusReply;
import dev.clusterconnect.routes.stream.DiscardingSink;
import dev.clusterconnect.routes.tunnel.ResetCode;
import dev.clusterconnect.routes.tunnel.SessionListener;
import dev.clusterconnect.routes.tunnel.TunnelStream;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every stream opened on a tunnel into one exchange whose body is an {@link HttpCall}, and
 * answers the stream with what the route replies: the agent's requests from the relay, and a
 * relay's requests forwarded by a peer replica.
 */
abstract class StreamConsumer extends DefaultConsumer implements SessionListener {

    private static final Logger LOG = LoggerFactory.getLogger(StreamConsumer.class);

    StreamConsumer(TunnelEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    @Override
    public TunnelEndpoint getEndpoint() {
        return (TunnelEndpoint) super.getEndpoint();
    }

    /** The cluster the stream is for; null refuses it. */
    protected abstract String clusterIdOf(RequestHead head);

    @Override
    public void onOpen(TunnelStream stream, RequestHead head) {
        long start = System.nanoTime();
        String clusterId = clusterIdOf(head);
        if (clusterId == null) {
            stream.reset(ResetCode.PROTOCOL, "a stream must name its cluster");
            return;
        }
        String correlationId = RequestIds.adoptOrGenerate(head.headers().get(RequestIds.HEADER));
        HttpCall call = new HttpCall(head, stream.inbound(), null, correlationId);
        stream.whenReset(call.abandonment()::abandon);
        LOG.debug("[{}] stream {}: {} {}", correlationId, stream.id(), head.method(), head.path());
        Exchange exchange = createExchange(false);
        exchange.getMessage().setBody(call);
        exchange.getMessage().setHeader(ClusterConnectHeaders.CORRELATION_ID, correlationId);
        exchange.getMessage().setHeader(ClusterConnectHeaders.METHOD, head.method());
        exchange.getMessage().setHeader(ClusterConnectHeaders.PATH, head.path());
        exchange.getMessage().setHeader(ClusterConnectHeaders.QUERY, head.query());
        exchange.getMessage().setHeader(ClusterConnectHeaders.CLUSTER_ID, clusterId);
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
                reply.body().cancel(stream.isReset() ? "stream reset" : "response head too large");
            }
            return;
        }
        KubeStatusException status = StatusMapping.answer(exchange.getException(), call);
        if (status instanceof NotHeldHereException moved) {
            // A peer forwarded it here as the agent moved on: REFUSED sends it to the new holder.
            AccessLog.replied(getRouteId(), call, moved.code(), start);
            stream.reset(ResetCode.REFUSED, moved.getMessage());
            return;
        }
        AccessLog.replied(getRouteId(), call, status.code(), start);
        call.body().start(DiscardingSink.INSTANCE);
        HttpReply reply = StatusReply.of(status);
        if (stream.respond(reply.head())) {
            stream.pipeFrom(reply.body());
        }
    }
}
