package dev.clusterconnect.routes.component.tunnel;

import dev.clusterconnect.routes.tunnel.TunnelSettings;
import io.netty.handler.ssl.SslContext;
import java.net.URI;
import java.time.Duration;
import java.util.function.Supplier;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/**
 * {@code tunnel:name}: the relay-agent WebSocket tunnel.
 *
 * <ul>
 *   <li>Relay, producer, {@code operation=accept}: takes over an agent's upgrade request (the route
 *       authenticated it and set the cluster id header) and registers the tunnel.
 *   <li>Relay, producer, {@code operation=forward}: opens a stream to an agent of the cluster in the
 *       cluster id header and completes with the response head.
 *   <li>Agent, consumer: dials {@code url}, keeps the tunnel up, and makes one exchange per request.
 *   <li>Relay, consumer without {@code url}: one exchange per stream that a peer replica opens on
 *       a link this relay accepted ({@code operation=accept&peer=true} on the same name).
 * </ul>
 */
@UriEndpoint(
        firstVersion = "0.1.0",
        scheme = "tunnel",
        title = "clusterconnect tunnel",
        syntax = "tunnel:name",
        category = {Category.NETWORKING})
public final class TunnelEndpoint extends DefaultEndpoint {

    @UriPath(description = "Endpoints with the same name share one registry of agents")
    private final String name;

    @UriParam(
            enums = "forward,accept",
            defaultValue = "forward",
            description = "Relay producer: forward requests or accept agents")
    private String operation = "forward";

    @UriParam(
            label = "producer",
            description =
                    "Relay, forward: finds the cluster's tunnel here or at a peer replica; none: this relay's tunnels only")
    private TunnelLocator locator;

    @UriParam(
            label = "producer",
            defaultValue = "false",
            description =
                    "Relay, forward: only this relay's own tunnels (a stream that came over a peer link goes no further)")
    private boolean localOnly;

    @UriParam(
            label = "producer",
            defaultValue = "false",
            description =
                    "Relay, accept: the connection is a peer replica's link, whose streams go to this name's consumer")
    private boolean peer;

    @UriParam(
            label = "producer",
            defaultValue = "10000",
            description = "Relay, forward: streams open at once in one agent tunnel;"
                    + " over it, 429 with Retry-After. 0: no cap")
    private int maxStreamsPerTunnel = 10_000;

    @UriParam(
            label = "producer",
            defaultValue = "1000",
            description =
                    "Relay, forward: streams open at once for one user (the"
                            + " ClusterConnectUser header), over all tunnels of this name; over it, 429 with Retry-After. 0: no cap")
    private int maxStreamsPerUser = 1_000;

    @UriParam(
            label = "producer",
            defaultValue = "60s",
            javaType = "java.time.Duration",
            description =
                    "Relay, forward: how long a stream waits for the agent's response head (never for the body); then 504")
    private Duration responseHeadTimeout = Duration.ofSeconds(60);

    @UriParam(label = "consumer", description = "Agent: the relay's agent endpoint, wss://host/agent/v1/connect")
    private String url;

    @UriParam(label = "consumer", description = "Agent: the cluster this agent serves")
    private String clusterId;

    @UriParam(label = "consumer", description = "Agent: headers proving who the agent is, fresh for every connection")
    private Supplier<java.util.Map<String, String>> credentials;

    @UriParam(label = "consumer", description = "Agent: TLS context that trusts the relay")
    private SslContext sslContext;

    @UriParam(label = "consumer", description = "Agent: HTTP CONNECT proxy, http://[user:password@]host:port")
    private String httpsProxy;

    @UriParam(label = "consumer", description = "Agent: hosts reached without the proxy, comma separated")
    private String noProxy;

    @UriParam(defaultValue = "15000", description = "Milliseconds between PINGs")
    private long heartbeatInterval = 15_000;

    @UriParam(defaultValue = "45000", description = "Milliseconds of silence after which the peer is dead")
    private long heartbeatTimeout = 45_000;

    @UriParam(
            label = "consumer",
            defaultValue = "30000",
            description = "Agent: the longest wait, in milliseconds, between"
                    + " two reconnect attempts (the backoff doubles from 500 ms up to this, with jitter)")
    private long reconnectBackoffMax = 30_000;

    TunnelEndpoint(String uri, TunnelComponent component, String name) {
        super(uri, component);
        this.name = name;
    }

    @Override
    public TunnelComponent getComponent() {
        return (TunnelComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        // A request must never wait forever: there is no "off".
        if (responseHeadTimeout == null || responseHeadTimeout.isNegative() || responseHeadTimeout.isZero()) {
            throw new IllegalArgumentException(
                    "tunnel:" + name + " needs a positive responseHeadTimeout, not " + responseHeadTimeout);
        }
        return new TunnelProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        if (url == null && clusterId == null) {
            PeerStreamConsumer consumer = new PeerStreamConsumer(this, processor);
            configureConsumer(consumer);
            return consumer;
        }
        if (url == null || clusterId == null) {
            throw new IllegalArgumentException(
                    "tunnel consumer needs url and clusterId (agent), or neither (relay, peer streams)");
        }
        TunnelConsumer consumer = new TunnelConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    public AgentRegistry registry() {
        return getComponent().registry(name);
    }

    StreamCaps streamCaps() {
        return getComponent().streamCaps(name);
    }

    TunnelSettings settings() {
        return TunnelSettings.defaults()
                .withHeartbeat(Duration.ofMillis(heartbeatInterval), Duration.ofMillis(heartbeatTimeout));
    }

    /**
     * A fresh backoff for one consumer. The cap bounds how long an agent stays away after its
     * relay is back: the default spreads a large fleet's reconnects; a small one gets back sooner.
     */
    Backoff reconnectBackoff() {
        if (reconnectBackoffMax <= 0) {
            throw new IllegalArgumentException(
                    "tunnel:" + name + " needs a positive reconnectBackoffMax, not " + reconnectBackoffMax);
        }
        Duration cap = Duration.ofMillis(reconnectBackoffMax);
        Duration base = Duration.ofMillis(500);
        return new Backoff(base.compareTo(cap) < 0 ? base : cap, cap);
    }

    URI uri() {
        return URI.create(url);
    }

    public String getName() {
        return name;
    }

    public TunnelLocator getLocator() {
        return locator;
    }

    public void setLocator(TunnelLocator locator) {
        this.locator = locator;
    }

    public boolean isLocalOnly() {
        return localOnly;
    }

    public void setLocalOnly(boolean localOnly) {
        this.localOnly = localOnly;
    }

    public boolean isPeer() {
        return peer;
    }

    public void setPeer(boolean peer) {
        this.peer = peer;
    }

    public String getOperation() {
        return operation;
    }

    public void setOperation(String operation) {
        this.operation = operation;
    }

    public int getMaxStreamsPerTunnel() {
        return maxStreamsPerTunnel;
    }

    public void setMaxStreamsPerTunnel(int maxStreamsPerTunnel) {
        this.maxStreamsPerTunnel = maxStreamsPerTunnel;
    }

    public int getMaxStreamsPerUser() {
        return maxStreamsPerUser;
    }

    public void setMaxStreamsPerUser(int maxStreamsPerUser) {
        this.maxStreamsPerUser = maxStreamsPerUser;
    }

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public String getClusterId() {
        return clusterId;
    }

    public void setClusterId(String clusterId) {
        this.clusterId = clusterId;
    }

    public Supplier<java.util.Map<String, String>> getCredentials() {
        return credentials;
    }

    public void setCredentials(Supplier<java.util.Map<String, String>> credentials) {
        this.credentials = credentials;
    }

    public SslContext getSslContext() {
        return sslContext;
    }

    public void setSslContext(SslContext sslContext) {
        this.sslContext = sslContext;
    }

    public String getHttpsProxy() {
        return httpsProxy;
    }

    public void setHttpsProxy(String httpsProxy) {
        this.httpsProxy = httpsProxy;
    }

    public String getNoProxy() {
        return noProxy;
    }

    public void setNoProxy(String noProxy) {
        this.noProxy = noProxy;
    }

    public long getHeartbeatInterval() {
        return heartbeatInterval;
    }

    public void setHeartbeatInterval(long heartbeatInterval) {
        this.heartbeatInterval = heartbeatInterval;
    }

    public Duration getResponseHeadTimeout() {
        return responseHeadTimeout;
    }

    public void setResponseHeadTimeout(Duration responseHeadTimeout) {
        this.responseHeadTimeout = responseHeadTimeout;
    }

    public long getReconnectBackoffMax() {
        return reconnectBackoffMax;
    }

    public void setReconnectBackoffMax(long reconnectBackoffMax) {
        this.reconnectBackoffMax = reconnectBackoffMax;
    }

    public long getHeartbeatTimeout() {
        return heartbeatTimeout;
    }

    public void setHeartbeatTimeout(long heartbeatTimeout) {
        this.heartbeatTimeout = heartbeatTimeout;
    }
}
