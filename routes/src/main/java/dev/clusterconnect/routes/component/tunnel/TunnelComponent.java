package dev.clusterconnect.routes.component.tunnel;

import dev.clusterconnect.routes.component.IoThreads;
import dev.clusterconnect.routes.tunnel.TunnelSession;
import dev.clusterconnect.routes.tunnel.TunnelSettings;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
    private final Map<String, StreamConsumer> streamConsumers = new ConcurrentHashMap<>();
    private final Map<String, StreamCaps> streamCaps = new ConcurrentHashMap<>();
    private final IoThreads io = new IoThreads("tunnel-io");
    private final Set<TunnelConsumer> dialers = ConcurrentHashMap.newKeySet();

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

    /** The per-user stream counts of endpoints named {@code name} (created on first use). */
    StreamCaps streamCaps(String name) {
        return streamCaps.computeIfAbsent(name, n -> new StreamCaps());
    }

    /** Streams {@code user} has open through endpoints named {@code name} (for tests and metrics). */
    public int streamsOfUser(String name, String user) {
        return streamCaps(name).streamsOf(user);
    }

    /**
     * This replica's links to its peers, on the tunnel's I/O threads.
     *
     * @param self this replica's instance id, announced to the peers it dials
     * @param tls trusts the peer CA and presents this replica's peer certificate
     */
    public PeerLinks peerLinks(String self, SslContext tls, TunnelSettings settings) {
        return new PeerLinks(self, tls, settings, io.group());
    }

    /**
     * Whether the tunnels this app dials to the relay are up: at least one route dials, and every
     * one that does holds a tunnel. The agent's readiness, whichever route dials.
     */
    public boolean tunnelsToRelayUp() {
        List<TunnelConsumer> current = List.copyOf(dialers);
        return !current.isEmpty() && current.stream().allMatch(TunnelConsumer::isConnected);
    }

    /** Streams open in the tunnels this app dials to the relay. */
    public int streamsToRelay() {
        int open = 0;
        for (TunnelConsumer dialer : dialers) {
            TunnelSession session = dialer.session();
            open += session == null ? 0 : session.openStreams();
        }
        return open;
    }

    void attachDialer(TunnelConsumer consumer) {
        dialers.add(consumer);
    }

    void detachDialer(TunnelConsumer consumer) {
        dialers.remove(consumer);
    }

    void attachStreams(String name, StreamConsumer consumer) {
        streamConsumers.put(name, consumer);
    }

    void detachStreams(String name, StreamConsumer consumer) {
        streamConsumers.remove(name, consumer);
    }

    /** The consumer of streams that peers open on links accepted under {@code name}, if started. */
    StreamConsumer streams(String name) {
        return streamConsumers.get(name);
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
