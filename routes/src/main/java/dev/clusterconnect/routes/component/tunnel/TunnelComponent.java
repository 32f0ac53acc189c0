package dev.clusterconnect.routes.component.tunnel;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

/**
 * Creates {@code tunnel:} endpoints. On the relay, endpoints of one name share an
 * {@link AgentRegistry}; on the agent, the consumer dials the relay.
 */
@Component("tunnel")
public final class TunnelComponent extends DefaultComponent {

    private final Map<String, AgentRegistry> registries = new ConcurrentHashMap<>();
    private EventLoopGroup workers;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        TunnelEndpoint endpoint = new TunnelEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    /** The registry of agents for endpoints named {@code name} (created on first use). */
    public AgentRegistry registry(String name) {
        return registries.computeIfAbsent(name, n -> new AgentRegistry());
    }

    synchronized EventLoopGroup workers() {
        if (workers == null) {
            workers = new NioEventLoopGroup(0, new DefaultThreadFactory("tunnel-io", true));
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
