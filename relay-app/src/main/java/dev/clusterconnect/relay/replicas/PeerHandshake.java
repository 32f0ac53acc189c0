package dev.clusterconnect.relay.replicas;

import dev.clusterconnect.routes.ClusterConnectHeaders;
import dev.clusterconnect.routes.component.tunnel.PeerLinks;
import dev.clusterconnect.routes.http.HttpCall;
import dev.clusterconnect.routes.status.KubeStatusException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * A peer replica's link request on the peer port. TLS already checked its certificate against the
 * peer CA (nothing else gets this far); here it names itself, which keys the link in the registry
 * and its logs.
 */
public final class PeerHandshake implements Processor {

    @Override
    public void process(Exchange exchange) {
        HttpCall call = exchange.getMessage().getBody(HttpCall.class);
        String peer = call.head().headers().get(PeerLinks.PEER_HEADER, "");
        if (!peer.matches("[A-Za-z0-9._-]{1,100}")) {
            throw new KubeStatusException(400, "a peer link must name its replica in " + PeerLinks.PEER_HEADER);
        }
        exchange.getMessage().setHeader(ClusterConnectHeaders.CLUSTER_ID, peer);
    }
}
