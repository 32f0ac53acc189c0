package dev.clusterconnect.relay.api;

/**
 * The command that installs a cluster's agent with the chart {@code helm/clusterconnect-agent}
 * (value names from its values.yaml). The id and token are URL-safe base64 and the relay URL comes
 * from configuration, so the line needs no shell quoting.
 */
final class HelmInstall {

    static final String CHART = "helm/clusterconnect-agent";

    private HelmInstall() {}

    static String command(PublicEndpoint relay, String clusterId, String bootstrapToken) {
        return "helm install clusterconnect-agent " + CHART
                + " --namespace clusterconnect --create-namespace"
                + " --set relay.url=" + relay.agentUrl()
                + " --set clusterId=" + clusterId
                + " --set bootstrap.token=" + bootstrapToken;
    }
}
