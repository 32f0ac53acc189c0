package dev.clusterconnect.agent;

import dev.clusterconnect.routes.logging.LogOutput;
import dev.clusterconnect.routes.yaml.HopRoutes;
import java.util.List;
import java.util.Map;
import org.apache.camel.main.Main;

/** The agent: a runnable Camel Main application, deployed in the cluster by the Helm chart. */
public final class AgentApplication {

    private AgentApplication() {}

    public static void main(String[] args) throws Exception {
        HopRoutes.run("agent", create(), args);
    }

    /** A configured, not yet started agent. */
    public static Main create() {
        // The JDK's HTTP client refuses Basic auth to a proxy for CONNECT tunnels unless told
        // otherwise; corporate proxies commonly want exactly that (credentials in agent.https-proxy).
        if (System.getProperty("jdk.http.auth.tunneling.disabledSchemes") == null) {
            System.setProperty("jdk.http.auth.tunneling.disabledSchemes", "");
        }
        Main main = new Main();
        main.setPropertyPlaceholderLocations(
                // The operator's file first: for a key in both, Camel takes the first location's value.
                "file:" + configFile() + ";optional=true,classpath:clusterconnect/agent.properties");
        main.addMainListener(new LogOutput("agent"));
        main.configure().addConfiguration(AgentConfiguration.class);
        main.configure().addRoutesBuilder(new dev.clusterconnect.routes.status.StatusRouteConfiguration());
        // The hop is agent-requests in clusterconnect/routes/agent.camel.yaml; files in agent.routes.dir replace or
        // extend it.
        main.configure()
                .addRoutesBuilder(new HopRoutes(
                        "agent",
                        List.of("classpath:clusterconnect/routes/agent.camel.yaml"),
                        List.of(),
                        Map.of(
                                "agent-requests",
                                List.of("refuseClientImpersonation", "authenticate", "freshHeaders", "impersonate"))));
        main.configure().addRoutesBuilder(new dev.clusterconnect.routes.health.HealthRoutes("agent"));
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
