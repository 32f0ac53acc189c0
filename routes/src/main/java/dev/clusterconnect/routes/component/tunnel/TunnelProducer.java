package dev.clusterconnect.routes.component.tunnel;

import dev.clusterconnect.routes.ClusterConnectHeaders;
import dev.clusterconnect.routes.http.HttpCall;
import dev.clusterconnect.routes.http.HttpReply;
import dev.clusterconnect.routes.http.RequestIds;
import dev.clusterconnect.routes.http.ResponseHead;
import dev.clusterconnect.routes.status.KubeStatusException;
import dev.clusterconnect.routes.stream.ByteSource;
import dev.clusterconnect.routes.tunnel.ResetCode;
import dev.clusterconnect.routes.tunnel.StreamListener;
import dev.clusterconnect.routes.tunnel.StreamRefusedException;
import dev.clusterconnect.routes.tunnel.TunnelSession;
import dev.clusterconnect.routes.tunnel.TunnelStream;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultAsyncProducer;

/** Relay side: accepts agent tunnels, or forwards a request into the tunnel of its cluster. */
public final class TunnelProducer extends DefaultAsyncProducer {

    /** On a peer link, the cluster a stream is for: the peer puts it into that cluster's tunnel. */
    public static final String PEER_CLUSTER_HEADER = "X-Clusterconnect-Cluster";

    public TunnelProducer(TunnelEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public TunnelEndpoint getEndpoint() {
        return (TunnelEndpoint) super.getEndpoint();
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        try {
            HttpCall call = exchange.getMessage().getBody(HttpCall.class);
            String clusterId = exchange.getMessage().getHeader(ClusterConnectHeaders.CLUSTER_ID, String.class);
            if (call == null || clusterId == null) {
                throw new IllegalStateException("tunnel producer needs an HttpCall body and a cluster id header");
            }
            if ("accept".equals(getEndpoint().getOperation())) {
                TunnelAcceptor.accept(getEndpoint(), call, clusterId, exchange, callback);
            } else {
                forward(call, clusterId, exchange, callback);
            }
            return false;
        } catch (Exception e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
    }

    private void forward(HttpCall call, String clusterId, Exchange exchange, AsyncCallback callback) {
        RequestIds.stamp(call);
        // A request without a body sends the stream an empty one, so the client's connection is
        // not tied to the stream: a stream refused and opened again elsewhere, or answered with
        // an error Status, leaves that connection open for the answer.
        ByteSource body = isBodiless(call) ? ByteSource.EMPTY : call.body();
        TunnelLocator locator = getEndpoint().getLocator();
        if (locator == null || getEndpoint().isLocalOnly()) {
            TunnelSession session = getEndpoint().registry().pick(clusterId);
            open(new TunnelLocator.Located(session, null), call, body, clusterId, exchange, callback, false);
        } else {
            locator.locate(clusterId, located -> {
                try {
                    open(located, call, body, clusterId, exchange, callback, false);
                } catch (RuntimeException e) {
                    exchange.setException(e);
                    callback.done(false);
                }
            });
        }
    }

    /**
     * Opens the stream and pipes the request into it. A stream refused before its head was
     * answered (the holder began to drain as the request went in) is tried once more, elsewhere,
     * when the request has no body to resend.
     */
    private void open(
            TunnelLocator.Located located,
            HttpCall call,
            ByteSource body,
            String clusterId,
            Exchange exchange,
            AsyncCallback callback,
            boolean retried) {
        if (located == null || located.session() == null) {
            throw new NotHeldHereException(clusterId);
        }
        if (located.viaPeer()) {
            call.head().headers().set(PEER_CLUSTER_HEADER, clusterId);
        } else {
            call.head().headers().remove(PEER_CLUSTER_HEADER);
        }
        // Counted until the stream is over, however it ends; given back before a retry elsewhere
        // takes a place of its own.
        Runnable release = getEndpoint()
                .streamCaps()
                .admit(
                        located.viaPeer() ? null : located.session(),
                        exchange.getMessage().getHeader(ClusterConnectHeaders.USER, String.class),
                        getEndpoint().getMaxStreamsPerTunnel(),
                        getEndpoint().getMaxStreamsPerUser());
        AtomicBoolean completed = new AtomicBoolean();
        HeadDeadline deadline = new HeadDeadline(getEndpoint().getResponseHeadTimeout());
        StreamListener listener = new StreamListener() {
            @Override
            public void onResponse(TunnelStream stream, ResponseHead head) {
                deadline.cancel();
                if (completed.compareAndSet(false, true)) {
                    exchange.getMessage().setBody(new HttpReply(head, stream.inbound()));
                    callback.done(false);
                }
            }

            @Override
            public void onReset(ResetCode code, String reason) {
                release.run();
                deadline.cancel();
                if (!completed.compareAndSet(false, true)) {
                    return;
                }
                if (code == ResetCode.REFUSED
                        && !retried
                        && retryElsewhere(located, call, clusterId, exchange, callback)) {
                    return;
                }
                if (body != ByteSource.EMPTY) {
                    call.body().cancel(reason);
                }
                exchange.setException(new KubeStatusException(
                        code == ResetCode.REFUSED ? 503 : 502,
                        "the agent of cluster " + clusterId + " could not serve the request: " + reason));
                callback.done(false);
            }

            @Override
            public void onClosed() {
                release.run();
            }
        };
        TunnelStream stream;
        try {
            stream = located.session().open(call.head(), listener);
        } catch (StreamRefusedException e) {
            release.run();
            // The session began to drain between finding it and opening on it.
            if (!e.isTooLarge() && !retried && retryElsewhere(located, call, clusterId, exchange, callback)) {
                return;
            }
            throw new KubeStatusException(e.isTooLarge() ? 431 : 503, e.getMessage());
        }
        deadline.arm(located.session(), () -> {
            if (completed.compareAndSet(false, true)) {
                String reason =
                        "the agent of cluster " + clusterId + " sent no response head within " + deadline.describe();
                exchange.setException(new KubeStatusException(504, reason));
                callback.done(false);
                // Tells the agent to give up too; its listener call finds the exchange completed.
                stream.reset(ResetCode.CANCEL, reason);
            }
        });
        call.abandonment().whenAbandoned(() -> {
            if (completed.compareAndSet(false, true)) {
                deadline.cancel();
                exchange.setException(KubeStatusException.clientClosedRequest());
                callback.done(false);
                // The agent stops waiting for its apiserver too (and a peer for its agent).
                stream.reset(ResetCode.CANCEL, "the client went away before the answer");
            }
        });
        stream.pipeFrom(body);
    }

    /**
     * Looks for the cluster again, past the session that refused it, and sends a bodiless request
     * there; false when that cannot be.
     */
    private boolean retryElsewhere(
            TunnelLocator.Located refused, HttpCall call, String clusterId, Exchange exchange, AsyncCallback callback) {
        TunnelLocator locator = getEndpoint().getLocator();
        if (locator == null || getEndpoint().isLocalOnly() || !isBodiless(call)) {
            return false;
        }
        locator.refused(clusterId, refused);
        locator.locate(clusterId, again -> {
            try {
                open(again, call, ByteSource.EMPTY, clusterId, exchange, callback, true);
            } catch (RuntimeException e) {
                exchange.setException(e);
                callback.done(false);
            }
        });
        return true;
    }

    /** No request body follows the head, so the request can be sent again as it was. */
    private static boolean isBodiless(HttpCall call) {
        var headers = call.head().headers();
        String length = headers.get("Content-Length");
        return !call.head().isUpgrade()
                && !headers.contains("Transfer-Encoding")
                && (length == null || length.trim().equals("0"));
    }
}
