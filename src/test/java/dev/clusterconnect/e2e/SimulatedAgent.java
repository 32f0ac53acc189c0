package dev.clusterconnect.e2e;

import com.nimbusds.jose.jwk.ECKey;
import dev.clusterconnect.routes.identity.AgentJwt;
import dev.clusterconnect.routes.tunnel.SessionListener;
import dev.clusterconnect.routes.tunnel.TunnelSession;
import dev.clusterconnect.routes.tunnel.TunnelSettings;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.DefaultPromise;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.Promise;
import java.net.URI;
import java.time.Instant;
import javax.net.ssl.SSLParameters;

/**
 * One simulated agent: the agent's own handshake (TLS verified against the relay's name, an ES256
 * JWT minted fresh from the cluster's enrolled key, the WebSocket upgrade with the tunnel
 * subprotocol), then the real {@link TunnelSession} in the agent role, which answers the relay's
 * PINGs and sends its own. It is the handshake of the agent's {@code TunnelDialer} without the
 * Camel endpoint, consumer and apiserver client around it, so thousands fit in one small JVM.
 */
final class SimulatedAgent {

    /** Where the fleet connects and how. */
    record Target(
            URI uri, SslContext tls, TunnelSettings settings, EventLoopGroup group, ChannelHandler frameCounter) {}

    private SimulatedAgent() {}

    /** Connects; the promise holds the tunnel's channel once the relay answered 101. */
    static Promise<Channel> dial(Target target, String clusterId, ECKey key) {
        // Not group().next().newPromise(): that would take a turn of the group's round robin, and
        // every channel would land on the same event loop.
        Promise<Channel> result = new DefaultPromise<>(ImmediateEventExecutor.INSTANCE);
        DefaultHttpHeaders headers = new DefaultHttpHeaders();
        headers.set("Authorization", "Bearer " + AgentJwt.mint(key, clusterId, Instant.now(), AgentJwt.LIFETIME));
        headers.set("X-Clusterconnect-Cluster", clusterId);
        headers.set("X-Clusterconnect-Agent-Version", "fleet-simulator");
        WebSocketClientHandshaker handshaker = WebSocketClientHandshakerFactory.newHandshaker(
                target.uri(),
                WebSocketVersion.V13,
                TunnelSettings.SUBPROTOCOL,
                false,
                headers,
                target.settings().maxFrameBytes());
        Bootstrap bootstrap = new Bootstrap()
                .group(target.group())
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 15_000)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("tls", verifying(ch, target));
                        ch.pipeline().addLast("http", new HttpClientCodec());
                        ch.pipeline().addLast("aggregator", new HttpObjectAggregator(64 * 1024));
                        ch.pipeline().addLast("handshake", new Handshake(handshaker, target, clusterId, result));
                    }
                });
        bootstrap.connect(target.uri().getHost(), target.uri().getPort()).addListener((ChannelFuture f) -> {
            if (f.isSuccess()) {
                handshaker.handshake(f.channel());
            } else {
                result.tryFailure(f.cause());
            }
        });
        return result;
    }

    private static SslHandler verifying(SocketChannel ch, Target target) {
        SslHandler handler = target.tls()
                .newHandler(ch.alloc(), target.uri().getHost(), target.uri().getPort());
        SSLParameters parameters = handler.engine().getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        handler.engine().setSSLParameters(parameters);
        return handler;
    }

    /** Waits for the 101, then hands the channel to a tunnel session in the agent role. */
    private static final class Handshake extends SimpleChannelInboundHandler<FullHttpResponse> {

        private final WebSocketClientHandshaker handshaker;
        private final Target target;
        private final String clusterId;
        private final Promise<Channel> result;

        Handshake(WebSocketClientHandshaker handshaker, Target target, String clusterId, Promise<Channel> result) {
            this.handshaker = handshaker;
            this.target = target;
            this.clusterId = clusterId;
            this.result = result;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            try {
                handshaker.finishHandshake(ctx.channel(), response);
            } catch (RuntimeException refused) {
                result.tryFailure(new IllegalStateException("relay refused cluster " + clusterId + ": HTTP "
                        + response.status().code()));
                ctx.close();
                return;
            }
            ctx.pipeline().remove(this);
            // Every real agent is its own process with no TLS session to resume: forget this one,
            // so the next simulated agent makes the full handshake the relay would see.
            ((SslHandler) ctx.pipeline().get("tls")).engine().getSession().invalidate();
            if (ctx.pipeline().get("aggregator") != null) {
                ctx.pipeline().remove("aggregator");
            }
            // Before the session's own handlers, so it sees every WebSocket message the relay sends.
            ctx.pipeline().addLast("count", target.frameCounter());
            TunnelSession.start(
                    ctx.channel(), TunnelSession.Role.AGENT, target.settings(), new SessionListener() {}, clusterId);
            result.trySuccess(ctx.channel());
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            // A TLS handshake that timed out on either side ends here first: name it, not just the close.
            if (event instanceof SslHandshakeCompletionEvent tls && !tls.isSuccess()) {
                result.tryFailure(tls.cause());
            }
            super.userEventTriggered(ctx, event);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            result.tryFailure(new IllegalStateException("the connection closed before the relay answered the upgrade"));
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            result.tryFailure(cause);
            ctx.close();
        }
    }
}
