package dev.clusterconnect.routes.component.tunnel;

import dev.clusterconnect.routes.component.Flushes;
import dev.clusterconnect.routes.tunnel.TunnelSettings;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
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
import io.netty.handler.proxy.HttpProxyHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * Agent side: one outbound connection to the relay (through an HTTP CONNECT proxy when one is
 * configured), TLS verified against the relay's name, then the WebSocket handshake.
 */
final class TunnelDialer {

    /**
     * Where and how to dial.
     *
     * @param headers sent with the WebSocket upgrade (credentials, cluster id)
     * @param verifyHostname false only for peer links, whose CA is dedicated to the relay replicas
     *     and whose certificates name no pod address
     */
    record Target(
            URI uri,
            Map<String, String> headers,
            SslContext ssl,
            boolean verifyHostname,
            String httpsProxy,
            String noProxy,
            TunnelSettings settings,
            int connectTimeoutMillis) {}

    private final Target target;
    private final EventLoopGroup group;

    TunnelDialer(Target target, EventLoopGroup group) {
        this.target = target;
        this.group = group;
    }

    /** An agent's dial to the relay, from its endpoint's options. */
    static TunnelDialer toRelay(TunnelEndpoint endpoint, EventLoopGroup group) {
        Map<String, String> headers = new java.util.LinkedHashMap<>(
                endpoint.getCredentials() == null
                        ? Map.of()
                        : endpoint.getCredentials().get());
        headers.put("X-Clusterconnect-Cluster", endpoint.getClusterId());
        headers.put("X-Clusterconnect-Agent-Version", Version.current());
        return new TunnelDialer(
                new Target(
                        endpoint.uri(),
                        headers,
                        endpoint.getSslContext(),
                        true,
                        endpoint.getHttpsProxy(),
                        endpoint.getNoProxy(),
                        endpoint.settings(),
                        15_000),
                group);
    }

    /** Connects and completes the handshake; the promise fails with a message fit for the log. */
    Promise<Channel> dial() {
        URI uri = target.uri();
        boolean tls = "wss".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
        // Completed on the channel's loop and its listeners run at once, inside the read of the
        // 101: the session's frame handlers are in place before the next read, so frames the peer
        // sends right after the 101 (a request that waited for this tunnel) are never dropped.
        Promise<Channel> result = ImmediateEventExecutor.INSTANCE.newPromise();
        DefaultHttpHeaders headers = new DefaultHttpHeaders();
        target.headers().forEach(headers::set);
        TunnelSettings settings = target.settings();
        WebSocketClientHandshaker handshaker = WebSocketClientHandshakerFactory.newHandshaker(
                uri, WebSocketVersion.V13, TunnelSettings.SUBPROTOCOL, false, headers, settings.maxFrameBytes());
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, target.connectTimeoutMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        HttpProxyHandler proxy = proxyFor(uri.getHost());
                        if (proxy != null) {
                            ch.pipeline().addLast("proxy", proxy);
                        }
                        if (tls) {
                            ch.pipeline().addLast("tls", verifying(ch, uri.getHost(), port));
                        }
                        ch.pipeline().addLast(Flushes.NAME, Flushes.consolidating());
                        ch.pipeline().addLast("http", new HttpClientCodec());
                        ch.pipeline().addLast("aggregator", new HttpObjectAggregator(64 * 1024));
                        ch.pipeline().addLast("handshake", new HandshakeHandler(handshaker, result));
                    }
                });
        ChannelFuture connect = proxyFor(uri.getHost()) != null
                ? bootstrap.connect(InetSocketAddress.createUnresolved(uri.getHost(), port))
                : bootstrap.connect(uri.getHost(), port);
        connect.addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                result.tryFailure(f.cause());
            } else {
                handshaker.handshake(f.channel());
            }
        });
        return result;
    }

    private SslHandler verifying(SocketChannel ch, String host, int port) {
        if (target.ssl() == null) {
            throw new IllegalStateException("wss needs a TLS context");
        }
        SslHandler handler = target.ssl().newHandler(ch.alloc(), host, port);
        if (target.verifyHostname()) {
            SSLEngine engine = handler.engine();
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            engine.setSSLParameters(parameters);
        }
        return handler;
    }

    private HttpProxyHandler proxyFor(String host) {
        String proxy = target.httpsProxy();
        if (proxy == null || proxy.isBlank() || bypassed(host)) {
            return null;
        }
        URI proxyUri = URI.create(proxy.contains("://") ? proxy : "http://" + proxy);
        InetSocketAddress address =
                new InetSocketAddress(proxyUri.getHost(), proxyUri.getPort() > 0 ? proxyUri.getPort() : 3128);
        String userInfo = proxyUri.getRawUserInfo();
        if (userInfo != null && userInfo.contains(":")) {
            String[] parts = userInfo.split(":", 2);
            return new HttpProxyHandler(address, decode(parts[0]), decode(parts[1]));
        }
        return new HttpProxyHandler(address);
    }

    private boolean bypassed(String host) {
        String noProxy = target.noProxy();
        if (noProxy == null || noProxy.isBlank()) {
            return false;
        }
        return Arrays.stream(noProxy.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .anyMatch(entry -> entry.equals("*")
                        || host.equalsIgnoreCase(entry)
                        || host.toLowerCase().endsWith((entry.startsWith(".") ? entry : "." + entry).toLowerCase()));
    }

    private static String decode(String value) {
        return java.net.URLDecoder.decode(value, StandardCharsets.UTF_8);
    }

    /** Waits for the 101 and leaves the channel with only the WebSocket codec. */
    private static final class HandshakeHandler extends SimpleChannelInboundHandler<FullHttpResponse> {

        private final WebSocketClientHandshaker handshaker;
        private final Promise<Channel> result;

        HandshakeHandler(WebSocketClientHandshaker handshaker, Promise<Channel> result) {
            this.handshaker = handshaker;
            this.result = result;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            try {
                handshaker.finishHandshake(ctx.channel(), response);
            } catch (RuntimeException refused) {
                String body = response.content().toString(StandardCharsets.UTF_8);
                result.tryFailure(new TunnelRefusedException(
                        "relay refused the tunnel: HTTP " + response.status().code() + " "
                                + body.substring(0, Math.min(body.length(), 300)),
                        TunnelRefusedException.parseRetryAfter(
                                response.headers().get("Retry-After"))));
                ctx.close();
                return;
            }
            ctx.pipeline().remove(this);
            if (ctx.pipeline().get("aggregator") != null) {
                ctx.pipeline().remove("aggregator");
            }
            ctx.channel().config().setAutoRead(true);
            result.trySuccess(ctx.channel());
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            result.tryFailure(new IllegalStateException("relay closed the connection during the handshake"));
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            result.tryFailure(cause);
            ctx.close();
        }
    }
}
