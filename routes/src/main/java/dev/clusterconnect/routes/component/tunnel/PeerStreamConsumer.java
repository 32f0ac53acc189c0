package dev.clusterconnect.routes.component.tunnel;

import dev.clusterconnect.routes.http.RequestHead;
import org.apache.camel.Processor;

/**
 * Relay side of a peer link: one exchange per stream a peer replica opens, for a cluster whose
 * tunnel this replica holds. The cluster travels in the stream's head; it is taken out here so it
 * never reaches the agent.
 */
final class PeerStreamConsumer extends StreamConsumer {

    PeerStreamConsumer(TunnelEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        getEndpoint().getComponent().attachStreams(getEndpoint().getName(), this);
    }

    @Override
    protected void doStop() throws Exception {
        getEndpoint().getComponent().detachStreams(getEndpoint().getName(), this);
        super.doStop();
    }

    @Override
    protected String clusterIdOf(RequestHead head) {
        String clusterId = head.headers().get(TunnelProducer.PEER_CLUSTER_HEADER);
        head.headers().remove(TunnelProducer.PEER_CLUSTER_HEADER);
        return clusterId;
    }
}
