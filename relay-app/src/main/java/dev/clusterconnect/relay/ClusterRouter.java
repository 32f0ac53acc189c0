package dev.clusterconnect.relay;

import dev.clusterconnect.routes.ClusterConnectHeaders;
import dev.clusterconnect.routes.http.HttpCall;
import dev.clusterconnect.routes.status.KubeStatusException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Reads the cluster from {@code /clusters/{id}/<apiserver path>} and leaves the apiserver path as
 * the request's target, which is what travels into the tunnel.
 */
public final class ClusterRouter implements Processor {

    static final String PREFIX = "/clusters/";

    @Override
    public void process(Exchange exchange) {
        HttpCall call = exchange.getMessage().getBody(HttpCall.class);
        String target = call.head().target();
        if (!target.startsWith(PREFIX)) {
            throw new KubeStatusException(404, "the relay serves /clusters/{id}/...");
        }
        int end = target.indexOf('/', PREFIX.length());
        int query = target.indexOf('?', PREFIX.length());
        int idEnd = end < 0 ? (query < 0 ? target.length() : query) : (query >= 0 && query < end ? query : end);
        String clusterId = target.substring(PREFIX.length(), idEnd);
        if (!clusterId.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new KubeStatusException(404, "no such cluster");
        }
        String rest = target.substring(idEnd);
        if (rest.isEmpty() || rest.startsWith("?")) {
            rest = "/" + rest;
        }
        call.head(call.head().withTarget(rest));
        exchange.getMessage().setHeader(ClusterConnectHeaders.CLUSTER_ID, clusterId);
    }
}
