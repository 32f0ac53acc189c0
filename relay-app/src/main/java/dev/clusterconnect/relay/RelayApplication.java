package dev.clusterconnect.relay;

import dev.clusterconnect.routes.logging.LogOutput;
import dev.clusterconnect.routes.yaml.HopRoutes;
import java.util.List;
import java.util.Map;
import org.apache.camel.main.Main;

/** The relay: a runnable Camel Main application. */
public final class RelayApplication {

    /** The steps a route file's replacement of each hop must keep, in order (docs/yaml-routes.md). */
    static final Map<String, List<String>> GUARD_STEPS = Map.of(
            "relay-clients", List.of("auditTrail", "clusterRouter", "authenticateCaller", "authorizeCluster"),
            "relay-api", List.of("auditTrail", "authenticateCaller", "resolveApiOperation"),
            "relay-agent-connect", List.of("agentAuthenticator"),
            "relay-agent-enroll", List.of("agentEnrollment"),
            "relay-agent-keys", List.of("agentKeyRotation"),
            "relay-peer-connect", List.of("peerHandshake"),
            "relay-peer-streams", List.of("authenticateCaller", "authorizeCluster"));

    private RelayApplication() {}

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
        main.configure().addRoutesBuilder(new HopRoutes("relay", List.of("classpath:clusterconnect/routes/relay.camel.yaml"),
                List.of(new RelayRouteBuilder()), GUARD_STEPS));
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
