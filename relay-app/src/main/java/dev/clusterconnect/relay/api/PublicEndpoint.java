package dev.clusterconnect.relay.api;

import java.net.URI;
import java.util.Optional;

/**
 * How clients and agents reach this relay from outside ({@code relay.public-url}), and the CA
 * that vouches for its certificate when it is not a public one ({@code relay.tls.ca-file}).
 *
 * @param url e.g. {@code https://relay.example.com}, no trailing slash
 * @param caPem PEM of the CA, when configured
 */
public record PublicEndpoint(URI url, Optional<String> caPem) {

    /** Where kubectl sends a cluster's requests. */
    public String clusterServer(String clusterId) {
        return url + "/clusters/" + clusterId;
    }

    /** Where the cluster's agent dials in. */
    public String agentUrl() {
        return "wss://" + url.getRawAuthority() + "/agent/v1/connect";
    }
}
