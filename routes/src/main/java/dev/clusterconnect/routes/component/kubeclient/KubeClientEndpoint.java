package dev.clusterconnect.routes.component.kubeclient;

import java.time.Duration;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/**
 * {@code kubeclient:name?upstream=#bean}: forwards each exchange's HTTP call to an upstream
 * (apiserver or relay), streaming, with protocol upgrades passed through.
 */
@UriEndpoint(
        firstVersion = "0.1.0",
        scheme = "kubeclient",
        title = "Kubernetes upstream client",
        syntax = "kubeclient:name",
        producerOnly = true,
        category = {Category.HTTP})
public final class KubeClientEndpoint extends DefaultEndpoint {

    @UriPath(description = "A name for logs")
    private final String name;

    @UriParam(description = "Where requests go")
    private Upstream upstream;

    @UriParam(defaultValue = "10000", description = "Connect timeout in milliseconds")
    private int connectTimeout = 10_000;

    @UriParam(
            defaultValue = "60s",
            javaType = "java.time.Duration",
            description = "How long a request waits for the response head once sent (never for the body); then 504")
    private Duration responseHeadTimeout = Duration.ofSeconds(60);

    private volatile ConnectionPool pool;

    KubeClientEndpoint(String uri, KubeClientComponent component, String name) {
        super(uri, component);
        this.name = name;
    }

    @Override
    public KubeClientComponent getComponent() {
        return (KubeClientComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        if (upstream == null) {
            throw new IllegalArgumentException("kubeclient:" + name + " needs an upstream");
        }
        // A request must never wait forever: there is no "off".
        if (responseHeadTimeout == null || responseHeadTimeout.isNegative() || responseHeadTimeout.isZero()) {
            throw new IllegalArgumentException(
                    "kubeclient:" + name + " needs a positive responseHeadTimeout, not " + responseHeadTimeout);
        }
        return new KubeClientProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("kubeclient is producer only");
    }

    @Override
    protected void doStop() throws Exception {
        if (pool != null) {
            pool.close();
        }
        super.doStop();
    }

    ConnectionPool pool() {
        ConnectionPool p = pool;
        if (p == null) {
            synchronized (this) {
                if (pool == null) {
                    pool = new ConnectionPool(upstream, getComponent().workers(), connectTimeout);
                }
                p = pool;
            }
        }
        return p;
    }

    String describe() {
        return name;
    }

    HeadDeadline headDeadline() {
        return new HeadDeadline(responseHeadTimeout, name + " (" + upstream.authority() + ")");
    }

    public Upstream upstream() {
        return upstream;
    }

    public Upstream getUpstream() {
        return upstream;
    }

    public void setUpstream(Upstream upstream) {
        this.upstream = upstream;
    }

    public int getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(int connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public Duration getResponseHeadTimeout() {
        return responseHeadTimeout;
    }

    public void setResponseHeadTimeout(Duration responseHeadTimeout) {
        this.responseHeadTimeout = responseHeadTimeout;
    }
}
