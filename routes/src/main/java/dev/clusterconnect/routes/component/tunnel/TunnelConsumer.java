package dev.clusterconnect.routes.component.tunnel;

import dev.clusterconnect.routes.http.RequestHead;
import dev.clusterconnect.routes.tunnel.TunnelSession;
import org.apache.camel.Processor;

/**
 * Agent side: one exchange, whose body is an {@link dev.clusterconnect.routes.http.HttpCall}, for every stream the relay opens on
 * this agent's tunnel. The tunnel itself (dial, reconnect, drain) is the {@link RelayConnection}'s.
 */
public final class TunnelConsumer extends StreamConsumer {

    private final RelayConnection relay;

    public TunnelConsumer(TunnelEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.relay = new RelayConnection(endpoint, this);
    }

    /** The current tunnel, or null while disconnected. */
    public TunnelSession session() {
        return relay.session();
    }

    public boolean isConnected() {
        return relay.isConnected();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        getEndpoint().getComponent().attachDialer(this);
        relay.start(getEndpoint().getComponent().workers());
    }

    @Override
    protected void doStop() throws Exception {
        getEndpoint().getComponent().detachDialer(this);
        relay.stop();
        super.doStop();
    }

    @Override
    protected String clusterIdOf(RequestHead head) {
        return getEndpoint().getClusterId();
    }
}
