package dev.clusterconnect.routes.component.tunnel;

import dev.clusterconnect.routes.http.HttpCall;
import dev.clusterconnect.routes.http.HttpReply;
import dev.clusterconnect.routes.http.RequestHead;
import dev.clusterconnect.routes.status.KubeStatusException;
import dev.clusterconnect.routes.tunnel.ResetCode;
import dev.clusterconnect.routes.tunnel.SessionListener;
import dev.clusterconnect.routes.tunnel.TunnelSession;
import dev.clusterconnect.routes.tunnel.TunnelSettings;
import dev.clusterconnect.routes.tunnel.TunnelStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Relay side: completes an agent's WebSocket handshake on its connection and registers the tunnel. */
final class TunnelAcceptor {

    private static final Logger LOG = LoggerFactory.getLogger(TunnelAcceptor.class);

    private TunnelAcceptor() {}

    static void accept(
            TunnelEndpoint endpoint, HttpCall call, String clusterId, Exchange exchange, AsyncCallback callback) {
        Channel channel = call.connection()
                .orElseThrow(() -> new IllegalStateException("an agent tunnel must arrive on a socket"));
        String offered = call.head().headers().get("Sec-WebSocket-Protocol", "");
        if (!call.head().isUpgrade() || !offered.contains(TunnelSettings.SUBPROTOCOL)) {
            throw new KubeStatusException(
                    426, "the relay speaks tunnel protocol " + TunnelSettings.SUBPROTOCOL + " over WebSocket");
        }
        TunnelSettings settings = endpoint.settings();
        FullHttpRequest request = new DefaultFullHttpRequest(
                HttpVersion.HTTP_1_1,
                HttpMethod.GET,
                call.head().target(),
                Unpooled.EMPTY_BUFFER,
                call.head().headers(),
                EmptyHttpHeaders.INSTANCE);
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(
                        "wss://relay" + call.head().path(), TunnelSettings.SUBPROTOCOL, false, settings.maxFrameBytes())
                .newHandshaker(request);
        if (handshaker == null) {
            throw new KubeStatusException(426, "unsupported WebSocket version");
        }
        AgentRegistry registry = endpoint.registry();
        if (registry.isDraining()) {
            // The agent dials again and the load balancer sends it to a replica that stays.
            throw new KubeStatusException(503, "this relay replica is draining; connect to another one");
        }
        String name = (endpoint.isPeer() ? "peer:" : "") + clusterId + "@" + channel.remoteAddress();
        channel.eventLoop().execute(() -> {
            channel.pipeline().remove("edge");
            handshaker.handshake(channel, request).addListener(done -> {
                if (!done.isSuccess()) {
                    LOG.warn(
                            "tunnel {}: handshake failed: {}",
                            name,
                            done.cause().toString());
                    channel.close();
                } else {
                    TunnelSession session = TunnelSession.start(
                            channel,
                            endpoint.isPeer() ? TunnelSession.Role.AGENT : TunnelSession.Role.RELAY,
                            settings,
                            listener(endpoint, registry, clusterId, name),
                            name);
                    registry.add(clusterId, session);
                    if (session.isClosed()) {
                        registry.remove(clusterId, session);
                    }
                    channel.config().setAutoRead(true);
                    LOG.info("tunnel {}: connected", name);
                }
                exchange.getMessage().setBody(HttpReply.TAKEN_OVER);
                callback.done(false);
            });
        });
    }

    /**
     * An agent's tunnel only leaves the registry when it closes; a peer's link also hands every
     * stream the peer opens to the consumer of the endpoint's name.
     */
    private static SessionListener listener(TunnelEndpoint endpoint, AgentRegistry registry, String key, String name) {
        return new SessionListener() {
            @Override
            public void onOpen(TunnelStream stream, RequestHead head) {
                StreamConsumer streams =
                        endpoint.isPeer() ? endpoint.getComponent().streams(endpoint.getName()) : null;
                if (streams == null) {
                    stream.reset(ResetCode.REFUSED, "this relay takes no streams on this connection");
                } else {
                    streams.onOpen(stream, head);
                }
            }

            @Override
            public void onClosed(TunnelSession closed) {
                LOG.info("tunnel {}: disconnected", name);
                registry.remove(key, closed);
            }
        };
    }
}
