package dev.clusterconnect.agent;

import org.apache.camel.main.Main;

/** The agent: a runnable Camel Main application, deployed in the cluster by the Helm chart. */
public final class AgentApplication {

    private AgentApplication() {}

    public static void main(String[] args) throws Exception {
        create().run(args);
    }

    /** A configured, not yet started agent. */
    public static Main create() {
        Main main = new Main();
        main.setPropertyPlaceholderLocations(
                "classpath:clusterconnect/agent.properties,file:${env:CLUSTERCONNECT_CONFIG:/etc/clusterconnect/application.properties};optional=true");
        main.configure().addConfiguration(AgentConfiguration.class);
        main.configure().addRoutesBuilder(new AgentRouteBuilder());
        return main;
    }
}
