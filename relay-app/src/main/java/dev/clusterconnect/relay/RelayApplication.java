package dev.clusterconnect.relay;

import org.apache.camel.main.Main;

/** The relay: a runnable Camel Main application. */
public final class RelayApplication {

    private RelayApplication() {}

    public static void main(String[] args) throws Exception {
        Main main = create();
        main.run(args);
    }

    /** A configured, not yet started relay (tests start and stop it themselves). */
    public static Main create() {
        Main main = new Main();
        main.setPropertyPlaceholderLocations(
                "classpath:clusterconnect/relay.properties,file:${env:CLUSTERCONNECT_CONFIG:/etc/clusterconnect/application.properties};optional=true");
        main.configure().addConfiguration(RelayConfiguration.class);
        main.configure().addRoutesBuilder(new RelayRouteBuilder());
        return main;
    }
}
