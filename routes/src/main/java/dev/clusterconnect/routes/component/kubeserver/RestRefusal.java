package dev.clusterconnect.routes.component.kubeserver;

import dev.clusterconnect.routes.ClusterConnectHeaders;
import dev.clusterconnect.routes.status.KubeStatusException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The last step of the route that takes a REST base path's unmatched requests: a 404 for a path no
 * operation has, a 405 naming the methods a known path has. Its route runs its own steps first, so
 * that such requests are audited and authenticated like any other (a caller with a bad token hears
 * about the token, not about the path).
 */
public final class RestRefusal implements Processor {

    @Override
    public void process(Exchange exchange) {
        String path = exchange.getMessage().getHeader(ClusterConnectHeaders.PATH, String.class);
        String allowed = exchange.getMessage().getHeader(RestOperations.ALLOWED_METHODS, "", String.class);
        if (allowed.isEmpty()) {
            throw new KubeStatusException(404, "the server could not find the requested resource (" + path + ")");
        }
        String method = exchange.getMessage().getHeader(ClusterConnectHeaders.METHOD, String.class);
        throw new KubeStatusException(405, method + " is not allowed on " + path + "; allowed: " + allowed);
    }
}
