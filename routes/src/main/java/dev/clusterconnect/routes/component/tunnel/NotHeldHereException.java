package dev.clusterconnect.routes.component.tunnel;

import dev.clusterconnect.routes.status.KubeStatusException;

/**
 * A relay has no tunnel of the cluster that takes new streams. From a client that is a 503; on a
 * peer link it is a {@code REFUSED} reset, which tells the forwarding replica to look again (the
 * agent is moving to another replica).
 */
public final class NotHeldHereException extends KubeStatusException {

    public NotHeldHereException(String clusterId) {
        super(503, "cluster " + clusterId + " is not connected to the relay");
    }
}
