package dev.clusterconnect.proxy;

import dev.clusterconnect.routes.logging.LogOutput;
import org.apache.camel.main.Main;

/** The client-side proxy: a runnable Camel Main application on the user's machine or a CI runner. */
public final class ProxyApplication {

    private ProxyApplication() {}

    public static void main(String[] args) throws Exception {
        create().run(args);
    }

    /** A configured, not yet started proxy. */
    public static Main create() {
        Main main = new Main();
        main.setPropertyPlaceholderLocations(
                "classpath:clusterconnect/proxy.properties,file:${env:CLUSTERCONNECT_CONFIG:${user.home}/.config/clusterconnect/proxy.properties};optional=true");
        main.addMainListener(new LogOutput("proxy"));
        main.configure().addConfiguration(ProxyConfiguration.class);
        main.configure().addRoutesBuilder(new dev.clusterconnect.routes.status.StatusRouteConfiguration());
        main.configure().addRoutesBuilder(new ProxyRouteBuilder());
        main.configure().addRoutesBuilder(new dev.clusterconnect.routes.health.HealthRoutes("proxy"));
        main.addMainListener(new KubeconfigWriter());
        return main;
    }
}
