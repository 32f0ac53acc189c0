package dev.clusterconnect.routes.component.tunnel;

import dev.clusterconnect.routes.ClusterConnectHeaders;
import dev.clusterconnect.routes.http.HttpCall;
import dev.clusterconnect.routes.http.HttpReply;
import dev.clusterconnect.routes.http.RequestIds;
import dev.clusterconnect.routes.http.ResponseHead;
import dev.clusterconnect.routes.status.KubeStatusException;
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

    /** Header the relay adds to OPEN so every hop logs the same id. */
    public static final String REQUEST_ID_HEADER = RequestIds.HEADER;

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
        TunnelSession session = getEndpoint().registry().pick(clusterId);
        if (session == null) {
            throw new KubeStatusException(503, "cluster " + clusterId + " is not connected to the relay");
        }
        RequestIds.stamp(call);
        AtomicBoolean completed = new AtomicBoolean();
        StreamListener listener = new StreamListener() {
            @Override
            public void onResponse(TunnelStream stream, ResponseHead head) {
                if (completed.compareAndSet(false, true)) {
                    exchange.getMessage().setBody(new HttpReply(head, stream.inbound()));
                    callback.done(false);
                }
            }

            @Override
            public void onReset(ResetCode code, String reason) {
                if (completed.compareAndSet(false, true)) {
                    call.body().cancel(reason);
                    exchange.setException(new KubeStatusException(code == ResetCode.REFUSED ? 503 : 502,
                            "the agent of cluster " + clusterId + " could not serve the request: " + reason));
                    callback.done(false);
                }
            }
        };
        TunnelStream stream;
        try {
            stream = session.open(call.head(), listener);
        } catch (StreamRefusedException e) {
            throw new KubeStatusException(e.isTooLarge() ? 431 : 503, e.getMessage());
        }
        stream.pipeFrom(call.body());
    }
}
