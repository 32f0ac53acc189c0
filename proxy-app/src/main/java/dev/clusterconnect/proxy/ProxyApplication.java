package dev.clusterconnect.proxy;

import dev.clusterconnect.routes.component.kubeserver.KubeServerComponent;
import dev.clusterconnect.routes.component.kubeserver.KubeServerEndpoint;
import dev.clusterconnect.routes.config.Settings;
import dev.clusterconnect.routes.logging.LogOutput;
import dev.clusterconnect.routes.yaml.HopRoutes;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

/** The client-side proxy: a runnable Camel Main application on the user's machine or a CI runner. */
public final class ProxyApplication {

    private ProxyApplication() {}

    public static void main(String[] args) throws Exception {
        HopRoutes.run("proxy", create(), args);
    }

    /** A configured, not yet started proxy. */
    public static Main create() {
        Main main = new Main();
        main.setPropertyPlaceholderLocations(
                "classpath:clusterconnect/proxy.properties,file:${env:CLUSTERCONNECT_CONFIG:${user.home}/.config/clusterconnect/proxy.properties};optional=true");
        main.addMainListener(new LogOutput("proxy"));
        main.configure().addConfiguration(ProxyConfiguration.class);
        main.configure().addRoutesBuilder(new dev.clusterconnect.routes.status.StatusRouteConfiguration());
        // The hop is proxy-local in clusterconnect/routes/proxy.camel.yaml; files in proxy.routes.dir replace or extend
        // it.
        main.configure()
                .addRoutesBuilder(new HopRoutes(
                        "proxy",
                        List.of("classpath:clusterconnect/routes/proxy.camel.yaml"),
                        List.of(),
                        Map.of("proxy-local", List.of("clusterOfPort", "userToken"))));
        main.configure().addRoutesBuilder(new dev.clusterconnect.routes.health.HealthRoutes("proxy"));
        main.addMainListener(new KubeconfigWriter());
        return main;
    }

    /**
     * The port kubectl reaches this proxy on: {@code proxy.listen.port}, or the free port it got
     * for 0. Asked of the server component, not of a route: an operator's file may replace the
     * {@code proxy-local} route.
     */
    public static int localPort(CamelContext context) {
        Settings settings = Settings.of(context);
        String host = settings.get("proxy.listen.host", "127.0.0.1");
        int port = settings.integer("proxy.listen.port", 47011);
        return context.getComponent("kubeserver", KubeServerComponent.class)
                .boundPort(host, port)
                .orElseThrow(
                        () -> new IllegalStateException(
                                "no route listens on " + host + ":" + port
                                        + " (proxy.listen.host and proxy.listen.port): a route file replaced proxy-local with one that does not"));
    }

    /**
     * Each cluster's own port ({@code proxy.cluster-ports}) by cluster id, as bound (the free ones
     * got for 0 included); empty when none is configured. Asked of the endpoints on the proxy's
     * listen address, so a route file's replacement of {@code proxy-local} is asked too.
     */
    public static Map<String, Integer> clusterPorts(CamelContext context) {
        Settings settings = Settings.of(context);
        String host = settings.get("proxy.listen.host", "127.0.0.1");
        int port = settings.integer("proxy.listen.port", 47011);
        Map<String, Integer> ports = new java.util.LinkedHashMap<>();
        for (org.apache.camel.Endpoint endpoint : context.getEndpoints()) {
            if (endpoint instanceof KubeServerEndpoint server
                    && server.getHost().equals(host)
                    && server.getPort() == port) {
                ports.putAll(server.boundNamedPorts());
            }
        }
        return ports;
    }

    /** kubectl's connections open at this proxy. */
    static int openConnections(CamelContext context) {
        Settings settings = Settings.of(context);
        return context.getComponent("kubeserver", KubeServerComponent.class)
                .openConnections(
                        settings.get("proxy.listen.host", "127.0.0.1"), settings.integer("proxy.listen.port", 47011));
    }
}
