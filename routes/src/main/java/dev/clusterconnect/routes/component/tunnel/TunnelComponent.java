package dev.clusterconnect.routes.component.tunnel;

import io.netty.channel.EventLoopGroup;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import dev.clusterconnect.routes.component.IoThreads;
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
    private final IoThreads io = new IoThreads("tunnel-io");

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

    EventLoopGroup workers() {
        return io.group();
    }

    @Override
    protected void doStop() throws Exception {
        io.shutdown();
        super.doStop();
    }
}
