package dev.clusterconnect.relay.api;

import java.net.URI;
import java.util.Optional;

/**
 * How clients and agents reach this relay from outside ({@code relay.public-url}), and the CA
 * that vouches for its certificate when it is not a public one ({@code relay.tls.ca-file}).
 *
 * @param url e.g. {@code https://relay.example.com}, no trailing slash
 * @param caPem PEM of the CA, when configured
 * @param clusterDomain {@code relay.cluster-domain}, when configured
 */
public record PublicEndpoint(URI url, Optional<String> caPem, Optional<String> clusterDomain) {

    public PublicEndpoint(URI url, Optional<String> caPem) {
        this(url, caPem, Optional.empty());
    }

    /**
     * Where kubectl sends a cluster's requests: the cluster's host name under {@code
     * relay.cluster-domain} (on the public URL's port), which every client keeps; else {@code
     * /clusters/<id>} on the public URL, which {@code kubectl get --raw} drops.
     */
    public String clusterServer(String clusterId) {
        return clusterDomain
                .map(domain -> "https://" + dev.clusterconnect.relay.ClusterHosts.label(clusterId) + "." + domain
                        + (url.getPort() < 0 ? "" : ":" + url.getPort()))
                .orElse(url + "/clusters/" + clusterId);
    }

    /** Where the cluster's agent dials in. */
    public String agentUrl() {
        return "wss://" + url.getRawAuthority() + "/agent/v1/connect";
    }
}
