package dev.clusterconnect.routes.component.kubeclient;

import dev.clusterconnect.routes.component.IoThreads;
import io.netty.channel.EventLoopGroup;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

/** Creates {@code kubeclient:} endpoints and owns their I/O threads. */
@Component("kubeclient")
public final class KubeClientComponent extends DefaultComponent {

    private final IoThreads io = new IoThreads("kubeclient-io");

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        KubeClientEndpoint endpoint = new KubeClientEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    EventLoopGroup workers() {
        return io.group();
    }

    @Override
    protected void doStop() throws Exception {
        io.shutdown();
        super.doStop();
    }
}
