package dev.clusterconnect.routes.component.kubeserver;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Processor;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.EventNotifier;
import org.apache.camel.spi.RestConfiguration;
import org.apache.camel.spi.RestConsumerFactory;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.util.URISupport;

/**
 * Creates {@code kubeserver:} endpoints and owns their sockets and I/O threads. Also the REST DSL's
 * consumer ({@code restConfiguration: component: kubeserver}): each verb of a {@code rest:} block
 * is a consumer on {@code host:port} of the rest configuration, under the rest's base path; the
 * rest configuration's endpoint properties are the endpoint's options, and its endpoint property
 * {@value #EDGE_PROPERTY} takes several as one query string, the way a route's URI names them
 * ({@code ?{{relay.listen.edge}}}). Consumes, produces and the REST binding are not applied: the
 * routes read and write their bodies themselves, as on any kubeserver route.
 */
@Component("kubeserver")
public final class KubeServerComponent extends DefaultComponent implements RestConsumerFactory {

    /** Rest configuration endpoint property: endpoint options as a query string ({@code sslContext=#tls&headerTimeout=...}). */
    public static final String EDGE_PROPERTY = "edge";

    private final Map<String, KubeServer> servers = new ConcurrentHashMap<>();
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private final EventNotifier routesStopping = new EventNotifierSupport() {
        @Override
        public boolean isEnabled(CamelEvent event) {
            return event instanceof CamelEvent.CamelContextRoutesStoppingEvent;
        }

        @Override
        public void notify(CamelEvent event) {
            servers.values().forEach(KubeServer::refuseRequests);
        }
    };

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        String address = remaining.startsWith("//") ? remaining.substring(2) : remaining;
        int slash = address.indexOf('/');
        String hostPort = slash < 0 ? address : address.substring(0, slash);
        String prefix = slash < 0 ? "/" : address.substring(slash);
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("kubeserver needs host:port, got " + remaining);
        }
        KubeServerEndpoint endpoint = new KubeServerEndpoint(
                uri, this, hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)), prefix);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    @Override
    public Consumer createConsumer(
            CamelContext camelContext,
            Processor processor,
            String verb,
            String basePath,
            String uriTemplate,
            String consumes,
            String produces,
            RestConfiguration configuration,
            Map<String, Object> parameters)
            throws Exception {
        if (configuration.getHost() == null || configuration.getPort() < 0) {
            throw new IllegalArgumentException(
                    "the REST DSL on kubeserver needs the rest configuration's host and port");
        }
        Map<String, Object> options = new LinkedHashMap<>();
        if (configuration.getEndpointProperties() != null) {
            options.putAll(configuration.getEndpointProperties());
        }
        Object edge = options.remove(EDGE_PROPERTY);
        if (edge != null) {
            options.putAll(URISupport.parseQuery(String.valueOf(edge)));
        }
        String base =
                basePath == null || basePath.isEmpty() ? "/" : basePath.startsWith("/") ? basePath : "/" + basePath;
        String uri = "kubeserver:" + configuration.getHost() + ":" + configuration.getPort() + base
                + (options.isEmpty() ? "" : "?" + URISupport.createQueryString(options));
        KubeServerEndpoint endpoint = camelContext.getEndpoint(uri, KubeServerEndpoint.class);
        return endpoint.createRestConsumer(processor, verb.toUpperCase(java.util.Locale.ROOT), uriTemplate);
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        boss = new NioEventLoopGroup(1, new DefaultThreadFactory("kubeserver-accept", true));
        workers = new NioEventLoopGroup(0, new DefaultThreadFactory("kubeserver-io", true));
        // When the context stops its routes (after the relay's drain, which runs while they still
        // serve), the sockets stop handing requests to them: KubeServer#refuseRequests.
        ServiceHelper.startService(routesStopping);
        getCamelContext().getManagementStrategy().addEventNotifier(routesStopping);
    }

    @Override
    protected void doStop() throws Exception {
        getCamelContext().getManagementStrategy().removeEventNotifier(routesStopping);
        ServiceHelper.stopService(routesStopping);
        servers.values().forEach(KubeServer::close);
        servers.clear();
        if (workers != null) {
            workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        super.doStop();
    }

    /**
     * Registers the consumer on its endpoint's port and on each of its named ports; returns the
     * names by the port each got.
     */
    synchronized Map<Integer, String> attach(KubeServerEndpoint endpoint, KubeServerConsumer consumer)
            throws InterruptedException {
        server(endpoint).register(endpoint.getPathPrefix(), consumer, endpoint.limits(), endpoint.getHostDomain());
        Map<Integer, String> names = new java.util.HashMap<>();
        try {
            for (Map.Entry<String, Integer> named : endpoint.namedPortMap().entrySet()) {
                KubeServer server =
                        server(namedKey(endpoint, named.getKey(), named.getValue()), endpoint, named.getValue());
                server.register(endpoint.getPathPrefix(), consumer, endpoint.limits());
                names.put(server.port(), named.getKey());
            }
        } catch (RuntimeException | InterruptedException e) {
            detach(endpoint); // a port taken: none of the route's ports stays open
            throw e;
        }
        return names;
    }

    /** The server of the endpoint's address, bound now if no route listens there yet. */
    private KubeServer server(KubeServerEndpoint endpoint) throws InterruptedException {
        return server(key(endpoint), endpoint, endpoint.getPort());
    }

    private KubeServer server(String key, KubeServerEndpoint endpoint, int port) throws InterruptedException {
        KubeServer server = servers.get(key);
        if (server == null) {
            server = KubeServer.bind(
                    endpoint.getHost(), port, endpoint.getSslContext(), endpoint.limits(), boss, workers);
            servers.put(key, server);
        }
        return server;
    }

    synchronized void attachRest(
            KubeServerEndpoint endpoint, String method, PathTemplate template, KubeServerConsumer consumer)
            throws InterruptedException {
        server(endpoint).registerRest(endpoint.getPathPrefix(), method, template, consumer, endpoint.limits());
    }

    synchronized void detachRest(KubeServerEndpoint endpoint, KubeServerConsumer consumer) {
        KubeServer server = servers.get(key(endpoint));
        if (server != null && server.unregisterRest(endpoint.getPathPrefix(), consumer)) {
            servers.remove(key(endpoint));
            server.close();
        }
    }

    synchronized void detach(KubeServerEndpoint endpoint) {
        detach(key(endpoint), endpoint);
        for (Map.Entry<String, Integer> named : endpoint.namedPortMap().entrySet()) {
            detach(namedKey(endpoint, named.getKey(), named.getValue()), endpoint);
        }
    }

    private void detach(String key, KubeServerEndpoint endpoint) {
        KubeServer server = servers.get(key);
        if (server != null && server.unregister(endpoint.getPathPrefix())) {
            servers.remove(key);
            server.close();
        }
    }

    /**
     * Closes the server on {@code port} gracefully ({@link KubeServer#closeGracefully}) while its
     * routes still run: the last step of draining before the routes stop. Other ports (health)
     * stay as they are.
     */
    public void closeGracefully(int port) {
        servers.values().stream().filter(server -> server.port() == port).forEach(KubeServer::closeGracefully);
    }

    /**
     * The port the server asked for as {@code host:port} listens on: {@code port} itself, or the
     * free port it got for 0. Empty while no route listens there.
     *
     * @throws IllegalStateException if several routes asked for a free port on {@code host}
     */
    public java.util.OptionalInt boundPort(String host, int port) {
        return server(host, port)
                .map(server -> java.util.OptionalInt.of(server.port()))
                .orElse(java.util.OptionalInt.empty());
    }

    /** The client connections open at the server asked for as {@code host:port} (0 when none listens). */
    public int openConnections(String host, int port) {
        return server(host, port).map(KubeServer::openConnections).orElse(0);
    }

    java.util.Optional<KubeServer> server(String host, int port) {
        String address = host + ":" + port;
        java.util.List<KubeServer> found = servers.entrySet().stream()
                .filter(entry ->
                        entry.getKey().equals(address) || entry.getKey().startsWith(address + "#"))
                .map(Map.Entry::getValue)
                .toList();
        if (found.size() > 1) {
            throw new IllegalStateException(
                    found.size() + " routes asked for a free port on " + host + "; name the port");
        }
        return found.stream().findFirst();
    }

    /** Each named port of the endpoint (namedPorts) by name, as bound; a name not bound (yet) is absent. */
    Map<String, Integer> boundNamedPorts(KubeServerEndpoint endpoint) {
        Map<String, Integer> bound = new LinkedHashMap<>();
        endpoint.namedPortMap().forEach((name, port) -> {
            KubeServer server = servers.get(namedKey(endpoint, name, port));
            if (server != null) {
                bound.put(name, server.port());
            }
        });
        return bound;
    }

    int boundPort(KubeServerEndpoint endpoint) {
        KubeServer server = servers.get(key(endpoint));
        return server == null ? -1 : server.port();
    }

    int openConnections(KubeServerEndpoint endpoint) {
        KubeServer server = servers.get(key(endpoint));
        return server == null ? 0 : server.openConnections();
    }

    // Consumers on the same host and port share a server; port 0 means "a free port of my own",
    // so each such endpoint gets its own.
    private static String namedKey(KubeServerEndpoint endpoint, String name, int port) {
        String address = endpoint.getHost() + ":" + port;
        return port == 0 ? address + "#" + endpoint.getEndpointUri() + "#" + name : address;
    }

    private static String key(KubeServerEndpoint endpoint) {
        String address = endpoint.getHost() + ":" + endpoint.getPort();
        return endpoint.getPort() == 0 ? address + "#" + endpoint.getEndpointUri() : address;
    }
}
