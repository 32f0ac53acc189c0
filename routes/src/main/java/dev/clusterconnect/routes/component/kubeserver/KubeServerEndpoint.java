package dev.clusterconnect.routes.component.kubeserver;

import dev.clusterconnect.routes.ClusterConnectHeaders;
import io.netty.handler.ssl.SslContext;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/**
 * {@code kubeserver:host:port/path-prefix}: an HTTP(S) server for Kubernetes clients, streaming in
 * both directions and passing protocol upgrades (exec, port-forward) through.
 */
@UriEndpoint(
        firstVersion = "0.1.0",
        scheme = "kubeserver",
        title = "Kubernetes client server",
        syntax = "kubeserver:address",
        consumerOnly = true,
        category = {Category.HTTP})
public final class KubeServerEndpoint extends DefaultEndpoint implements org.apache.camel.MultipleConsumersSupport {

    @UriPath(description = "host:port and an optional path prefix")
    private final String host;

    private final int port;
    private final String pathPrefix;

    @UriParam(description = "The server's TLS context; plain HTTP without one")
    private SslContext sslContext;

    @UriParam(
            defaultValue = "true",
            description = "Whether each request gets an access line (off for probes, which would flood the log)")
    private boolean accessLog = true;

    @UriParam(
            defaultValue = "30000",
            description =
                    "Milliseconds a connection has to deliver a complete request head, from connecting"
                            + " (TLS handshake included) or from the first byte after an idle keep-alive gap; 0: no limit. Same on every route of a port")
    private long headerTimeout = EdgeLimits.DEFAULTS.headerTimeout().toMillis();

    @UriParam(
            defaultValue = "120000",
            description = "Milliseconds a kept-alive connection may sit without a byte between requests;"
                    + " never while a request is served (watches, exec). 0: no limit. Same on every route of a port")
    private long idleTimeout = EdgeLimits.DEFAULTS.idleTimeout().toMillis();

    @UriParam(
            defaultValue = "60000",
            description = "Milliseconds a request body may pause between two reads while the server is"
                    + " reading it (never while back pressure stops the reading); on expiry the connection closes. 0: no limit."
                    + " Same on every route of a port")
    private long bodyTimeout = EdgeLimits.DEFAULTS.bodyTimeout().toMillis();

    @UriParam(
            defaultValue = "0",
            description = "Connections one client address may hold open; the next is closed unanswered."
                    + " 0: no cap. Same on every route of a port")
    private int maxConnectionsPerAddress = EdgeLimits.DEFAULTS.maxConnectionsPerAddress();

    @UriParam(
            defaultValue = "0",
            description = "Requests of this route in progress at once (until the reply head); over it, 429 with"
                    + " Retry-After: 1 before the route runs. 0: no cap")
    private int maxConcurrentRequests;

    @UriParam(
            description = "More ports on the same host this route listens on, as name=port pairs separated by"
                    + " commas (port 0: a free one); a request on one of them carries the name in the header "
                    + ClusterConnectHeaders.PORT_NAME + ". The proxy serves each cluster on a port of its own so")
    private String namedPorts = "";

    @UriParam(
            description = "A DNS domain: every request for a host name directly under it (<label>.<domain>, in the"
                    + " Host header or in TLS SNI) goes to this route, whatever its path. The relay gives each"
                    + " cluster such a name (relay.cluster-domain). Empty: none")
    private String hostDomain = "";

    KubeServerEndpoint(String uri, KubeServerComponent component, String host, int port, String pathPrefix) {
        super(uri, component);
        this.host = host;
        this.port = port;
        this.pathPrefix = pathPrefix;
    }

    @Override
    public KubeServerComponent getComponent() {
        return (KubeServerComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("kubeserver is consumer only");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        KubeServerConsumer consumer = new KubeServerConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    /**
     * The REST DSL's operations under one base path share this endpoint, one consumer each. Two
     * plain consumers of one path prefix are still refused, by the server ({@link KubeServer#register}).
     */
    @Override
    public boolean isMultipleConsumersSupported() {
        return true;
    }

    /** The consumer of one REST DSL operation on this endpoint's socket and path prefix. */
    KubeServerConsumer createRestConsumer(Processor processor, String method, String pathTemplate) throws Exception {
        KubeServerConsumer consumer = new KubeServerConsumer(this, processor, method, pathTemplate);
        configureConsumer(consumer);
        return consumer;
    }

    public String getHost() {
        return host;
    }

    public int getPort() {
        return port;
    }

    public String getPathPrefix() {
        return pathPrefix;
    }

    public boolean isAccessLog() {
        return accessLog;
    }

    public void setAccessLog(boolean accessLog) {
        this.accessLog = accessLog;
    }

    public SslContext getSslContext() {
        return sslContext;
    }

    public void setSslContext(SslContext sslContext) {
        this.sslContext = sslContext;
    }

    public long getHeaderTimeout() {
        return headerTimeout;
    }

    public void setHeaderTimeout(long headerTimeout) {
        this.headerTimeout = headerTimeout;
    }

    public long getIdleTimeout() {
        return idleTimeout;
    }

    public void setIdleTimeout(long idleTimeout) {
        this.idleTimeout = idleTimeout;
    }

    public long getBodyTimeout() {
        return bodyTimeout;
    }

    public void setBodyTimeout(long bodyTimeout) {
        this.bodyTimeout = bodyTimeout;
    }

    public int getMaxConnectionsPerAddress() {
        return maxConnectionsPerAddress;
    }

    public void setMaxConnectionsPerAddress(int maxConnectionsPerAddress) {
        this.maxConnectionsPerAddress = maxConnectionsPerAddress;
    }

    public int getMaxConcurrentRequests() {
        return maxConcurrentRequests;
    }

    public void setMaxConcurrentRequests(int maxConcurrentRequests) {
        this.maxConcurrentRequests = maxConcurrentRequests;
    }

    public String getHostDomain() {
        return hostDomain;
    }

    public void setHostDomain(String hostDomain) {
        this.hostDomain = hostDomain == null ? "" : hostDomain.strip();
    }

    public String getNamedPorts() {
        return namedPorts;
    }

    public void setNamedPorts(String namedPorts) {
        this.namedPorts = namedPorts == null ? "" : namedPorts;
        namedPortMap(); // refused now, naming the option, rather than when the route starts
    }

    /** {@link #getNamedPorts} read: name to port, in order. */
    java.util.Map<String, Integer> namedPortMap() {
        java.util.Map<String, Integer> ports = new java.util.LinkedHashMap<>();
        for (String pair : namedPorts.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = equals < 0 ? "" : pair.substring(0, equals).strip();
            int port;
            try {
                port = Integer.parseInt(pair.substring(equals + 1).strip());
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (name.isEmpty() || port < 0 || port > 65535 || ports.put(name, port) != null) {
                throw new IllegalArgumentException(
                        "kubeserver namedPorts wants name=port pairs with distinct names, got '" + namedPorts + "'");
            }
        }
        return ports;
    }

    EdgeLimits limits() {
        return new EdgeLimits(
                java.time.Duration.ofMillis(headerTimeout),
                java.time.Duration.ofMillis(idleTimeout),
                java.time.Duration.ofMillis(bodyTimeout),
                maxConnectionsPerAddress);
    }

    /** The port actually bound (differs from the configured one when that was 0). */
    public int boundPort() {
        return getComponent().boundPort(this);
    }

    /** The ports bound for {@link #getNamedPorts}, by name (the free ones got for 0 included). */
    public java.util.Map<String, Integer> boundNamedPorts() {
        return getComponent().boundNamedPorts(this);
    }

    /** Client connections open on this endpoint's socket now (a gauge: each watch, exec or port-forward holds one). */
    public int openConnections() {
        return getComponent().openConnections(this);
    }
}
