package dev.clusterconnect.relay.access;

import dev.clusterconnect.relay.store.RelayDatabase;
import dev.clusterconnect.routes.ClusterConnectHeaders;
import dev.clusterconnect.routes.http.HttpCall;
import dev.clusterconnect.routes.status.KubeStatusException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * May this caller reach this cluster: its owner, a user granted by name, or a member of a granted
 * group. Decided here, before anything enters a tunnel, from the store on every request, so a
 * revoked grant takes effect with the next request.
 */
public final class AuthorizeCluster implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(AuthorizeCluster.class);

    private final RelayDatabase database;

    public AuthorizeCluster(RelayDatabase database) {
        this.database = database;
    }

    @Override
    public void process(Exchange exchange) {
        String clusterId = exchange.getMessage().getHeader(ClusterConnectHeaders.CLUSTER_ID, String.class);
        Caller caller = exchange.getProperty(Caller.PROPERTY, Caller.class);
        if (caller == null) {
            throw new IllegalStateException("authorisation before authentication");
        }
        if (database.clusters().find(clusterId).isEmpty()) {
            throw new KubeStatusException(404, "cluster " + clusterId + " not found");
        }
        if (!database.grants().isAllowed(clusterId, caller.user(), caller.groups())) {
            LOG.info("[{}] user {} may not reach cluster {}", exchange.getMessage().getBody(HttpCall.class).correlationId(),
                    caller.user(), clusterId);
            throw new KubeStatusException(403, "user " + caller.user() + " may not reach cluster " + clusterId);
        }
    }
}
