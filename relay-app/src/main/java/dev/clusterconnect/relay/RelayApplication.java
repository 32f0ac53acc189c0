package dev.clusterconnect.relay;

import dev.clusterconnect.routes.logging.LogOutput;
import dev.clusterconnect.routes.yaml.HopRoutes;
import java.util.List;
import java.util.Map;
import org.apache.camel.main.Main;

/** The relay: a runnable Camel Main application. */
public final class RelayApplication {

    /** The API's operations: each is the route {@code relay-api-<operation>} of relay.camel.yaml. */
    static final List<String> API_OPERATIONS = List.of(
            "create-cluster",
            "list-clusters",
            "get-cluster",
            "delete-cluster",
            "issue-bootstrap-token",
            "list-grants",
            "create-grant",
            "delete-grant",
            "get-kubeconfig",
            "list-agent-keys",
            "revoke-agent-key");

    /** The steps a route file's replacement of each hop must keep, in order (docs/yaml-routes.md). */
    static final Map<String, List<String>> GUARD_STEPS = guardSteps();

    private RelayApplication() {}

    private static Map<String, List<String>> guardSteps() {
        Map<String, List<String>> guards = new java.util.LinkedHashMap<>();
        guards.put("relay-clients", List.of("auditTrail", "clusterRouter", "authenticateCaller", "authorizeCluster"));
        // every API call is audited and authenticated before its body is read or the store asked
        API_OPERATIONS.forEach(
                operation -> guards.put("relay-api-" + operation, List.of("auditTrail", "authenticateCaller")));
        guards.put("relay-api-unmatched", List.of("auditTrail", "authenticateCaller"));
        guards.put("relay-agent-connect", List.of("agentAuthenticator"));
        guards.put("relay-agent-enroll", List.of("agentEnrollment"));
        guards.put("relay-agent-keys", List.of("agentKeyRotation"));
        guards.put("relay-peer-connect", List.of("peerHandshake"));
        guards.put("relay-peer-streams", List.of("authenticateCaller", "authorizeCluster"));
        return Map.copyOf(guards);
    }

    public static void main(String[] args) throws Exception {
        Main main = create();
        HopRoutes.run("relay", main, args);
    }

    /** A configured, not yet started relay (tests start and stop it themselves). */
    public static Main create() {
        Main main = new Main();
        main.setPropertyPlaceholderLocations(
                // The operator's file first: for a key in both, Camel takes the first location's value.
                "file:" + configFile() + ";optional=true,classpath:clusterconnect/relay.properties");
        main.addMainListener(new LogOutput("relay"));
        main.configure().addConfiguration(RelayConfiguration.class);
        main.configure().addRoutesBuilder(new dev.clusterconnect.routes.status.StatusRouteConfiguration());
        // The hops are in clusterconnect/routes/relay.camel.yaml, the API operations and peer links in
        // RelayRouteBuilder; files in relay.routes.dir replace any of them by id, or add routes.
        main.configure()
                .addRoutesBuilder(new HopRoutes(
                        "relay",
                        List.of("classpath:clusterconnect/routes/relay.camel.yaml"),
                        List.of(new RelayRouteBuilder()),
                        GUARD_STEPS));
        main.configure().addRoutesBuilder(new dev.clusterconnect.routes.health.HealthRoutes("relay"));
        return main;
    }

    /**
     * The operator's configuration file: {@code CLUSTERCONNECT_CONFIG}, else the default path.
     * Resolved here because Camel does not expand {@code ${env:...}} inside a location, so the
     * variable was silently ignored.
     */
    static String configFile() {
        String file = System.getenv("CLUSTERCONNECT_CONFIG");
        return file == null || file.isBlank() ? "/etc/clusterconnect/application.properties" : file;
    }
}
