package dev.clusterconnect.routes.component.kubeclient;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

/** Creates {@code kubeclient:} endpoints and owns their I/O threads. */
@Component("kubeclient")
public final class KubeClientComponent extends DefaultComponent {

    private EventLoopGroup workers;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        KubeClientEndpoint endpoint = new KubeClientEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    synchronized EventLoopGroup workers() {
        if (workers == null) {
            workers = new NioEventLoopGroup(0, new DefaultThreadFactory("kubeclient-io", true));
        }
        return workers;
    }

    @Override
    protected synchronized void doStop() throws Exception {
        if (workers != null) {
            workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            workers = null;
        }
        super.doStop();
    }
}
