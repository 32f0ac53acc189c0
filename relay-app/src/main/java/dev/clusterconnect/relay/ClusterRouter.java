package dev.clusterconnect.relay;

import dev.clusterconnect.routes.ClusterConnectHeaders;
import dev.clusterconnect.routes.http.HttpCall;
import dev.clusterconnect.routes.http.RequestedHosts;
import dev.clusterconnect.routes.status.KubeStatusException;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Reads the cluster from the request's host name under {@code relay.cluster-domain} (Host header,
 * else TLS SNI; {@link ClusterHosts}), or from {@code /clusters/{id}/<apiserver path>}, and leaves
 * the apiserver path as the request's target, which is what travels into the tunnel.
 */
public final class ClusterRouter implements Processor {

    static final String PREFIX = "/clusters/";

    /** {@code relay.cluster-domain}, or empty. */
    private final String clusterDomain;

    public ClusterRouter() {
        this("");
    }

    /** @param clusterDomain where each cluster has a host name ({@link ClusterHosts}); empty: none */
    public ClusterRouter(String clusterDomain) {
        this.clusterDomain = clusterDomain;
    }

    @Override
    public void process(Exchange exchange) {
        HttpCall call = exchange.getMessage().getBody(HttpCall.class);
        String target = call.head().target();
        if (!clusterDomain.isEmpty()) {
            Optional<String> label = RequestedHosts.labelUnder(
                    clusterDomain, call.head(), call.connection().orElse(null));
            if (label.isPresent()) {
                // the whole target is the apiserver's: kubectl get --raw /version keeps the host
                String clusterId = ClusterHosts.clusterId(label.get())
                        .orElseThrow(() -> new KubeStatusException(
                                404, "no cluster has the host name " + label.get() + "." + clusterDomain));
                exchange.getMessage().setHeader(ClusterConnectHeaders.CLUSTER_ID, clusterId);
                return;
            }
        }
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
