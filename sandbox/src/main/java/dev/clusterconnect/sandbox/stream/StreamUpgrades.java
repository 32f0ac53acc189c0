package dev.clusterconnect.sandbox.stream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clusterconnect.sandbox.FakeCluster;
import dev.clusterconnect.sandbox.http.ApiRequest;
import dev.clusterconnect.sandbox.http.Responses;
import dev.clusterconnect.sandbox.pod.AttachProcess;
import dev.clusterconnect.sandbox.pod.FakeShell;
import dev.clusterconnect.sandbox.pod.PodProcess;
import dev.clusterconnect.sandbox.store.ApiException;
import dev.clusterconnect.sandbox.store.ResourceCatalog;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyVersion;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/**
 * Upgrades exec, attach and port-forward requests to the transport the client asked for: WebSocket
 * (remotecommand {@code v5}/{@code v4}, or SPDY tunnelled in WebSocket for port-forward) or raw
 * SPDY/3.1, then hands the connection to the handler that speaks the protocol.
 */
public final class StreamUpgrades {

    static final String PORT_FORWARD_TUNNEL = "SPDY/3.1+portforward.k8s.io";
    static final String PORT_FORWARD_SPDY = "portforward.k8s.io";
    static final String REMOTE_COMMAND_SPDY = "v4.channel.k8s.io";
    static final String WEBSOCKET_EXEC = "v5.channel.k8s.io,v4.channel.k8s.io";
    private static final int MAX_FRAME = 16 * 1024 * 1024;

    private final FakeCluster cluster;
    private final ExecutorService processes;

    /** Upgrades for the pods of {@code cluster}; processes run on {@code processes}. */
    public StreamUpgrades(FakeCluster cluster, ExecutorService processes) {
        this.cluster = cluster;
        this.processes = processes;
    }

    /** Answers an exec, attach or portforward request. */
    public void handle(ChannelHandlerContext ctx, ApiRequest request) {
        String namespace = request.path().namespace();
        String pod = request.path().name();
        ObjectNode object = cluster.store().get(ResourceCatalog.PODS, namespace, pod);
        String phase = object.path("status").path("phase").asText();
        if (phase.equals("Succeeded") || phase.equals("Failed")) {
            throw ApiException.badRequest(
                    "cannot connect to a container in a completed pod; current phase is " + phase);
        }
        boolean websocket = Responses.isUpgrade(request.http(), "websocket");
        boolean spdy = Responses.isUpgrade(request.http(), "SPDY/3.1");
        if (!websocket && !spdy) {
            throw ApiException.badRequest("Upgrade request required");
        }
        if (request.path().subresource().equals("portforward")) {
            portForward(ctx, request, websocket, pod);
        } else {
            remoteCommand(ctx, request, websocket, namespace, pod);
        }
    }

    private void portForward(ChannelHandlerContext ctx, ApiRequest request, boolean websocket, String pod) {
        SpdyPortForwardHandler handler = new SpdyPortForwardHandler(cluster.portForwardTargets(), pod);
        if (websocket) {
            requireSubprotocol(request, PORT_FORWARD_TUNNEL);
            handshake(ctx, request, PORT_FORWARD_TUNNEL);
            ctx.pipeline().addLast("tunnel", new WebSocketTunnel());
            addSpdy(ctx.pipeline(), handler);
        } else {
            upgradeToSpdy(ctx, request, PORT_FORWARD_SPDY);
            addSpdy(ctx.pipeline(), handler);
        }
    }

    private void remoteCommand(
            ChannelHandlerContext ctx, ApiRequest request, boolean websocket, String namespace, String pod) {
        boolean attach = request.path().subresource().equals("attach");
        List<String> command = attach ? List.of("attach") : request.queryAll("command");
        if (command.isEmpty()) {
            throw ApiException.badRequest("you must specify at least 1 command");
        }
        boolean stdin = request.flag("stdin");
        PodProcess process = attach
                ? new AttachProcess(cluster.logs(), namespace, pod, stdin)
                : new FakeShell(command, cluster.files(namespace, pod), pod);
        if (websocket) {
            String protocol = requireSubprotocol(request, WEBSOCKET_EXEC.split(","));
            WebSocketExecHandler handler = new WebSocketExecHandler(ctx.channel());
            ExecSession session = new ExecSession(handler, command, request.flag("tty"));
            handler.attach(session);
            handshake(ctx, request, protocol).addListener(f -> session.start(processes, process, stdin));
            ctx.pipeline().addLast("ws-aggregator", new WebSocketFrameAggregator(MAX_FRAME));
            ctx.pipeline().addLast("exec", handler);
            return;
        }
        SpdyExecHandler[] handler = new SpdyExecHandler[1];
        ExecSession[] session = new ExecSession[1];
        handler[0] = new SpdyExecHandler(
                ctx.channel(), expectedStreams(request), () -> session[0].start(processes, process, stdin));
        session[0] = new ExecSession(handler[0], command, request.flag("tty"));
        handler[0].attach(session[0]);
        upgradeToSpdy(ctx, request, REMOTE_COMMAND_SPDY);
        addSpdy(ctx.pipeline(), handler[0]);
    }

    private static Set<String> expectedStreams(ApiRequest request) {
        Set<String> streams = new LinkedHashSet<>(List.of("error"));
        boolean tty = request.flag("tty");
        if (request.flag("stdin")) {
            streams.add("stdin");
        }
        if (request.flag("stdout")) {
            streams.add("stdout");
        }
        if (request.flag("stderr") && !tty) {
            streams.add("stderr");
        }
        if (tty) {
            streams.add("resize");
        }
        return streams;
    }

    private static String requireSubprotocol(ApiRequest request, String... supported) {
        String offered = request.http().headers().get(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL, "");
        List<String> protocols =
                Arrays.stream(offered.split(",")).map(String::trim).toList();
        return protocols.stream()
                .filter(List.of(supported)::contains)
                .findFirst()
                .orElseThrow(
                        () -> ApiException.badRequest("unable to negotiate a WebSocket subprotocol: client offered "
                                + protocols + ", server supports " + List.of(supported)));
    }

    private static io.netty.channel.ChannelFuture handshake(
            ChannelHandlerContext ctx, ApiRequest request, String protocol) {
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(
                        "ws://sandbox" + request.http().uri(), protocol, false, MAX_FRAME)
                .newHandshaker(request.http());
        if (handshaker == null) {
            throw ApiException.badRequest("unsupported WebSocket version");
        }
        ChannelPipeline pipeline = ctx.pipeline();
        pipeline.remove("chunked");
        pipeline.remove("utf8");
        pipeline.remove("headers");
        pipeline.remove(ctx.handler());
        return handshaker.handshake(ctx.channel(), request.http());
    }

    private static void upgradeToSpdy(ChannelHandlerContext ctx, ApiRequest request, String protocol) {
        List<String> offered = request.http().headers().getAll("X-Stream-Protocol-Version").stream()
                .flatMap(v -> Arrays.stream(v.split(",")))
                .map(String::trim)
                .toList();
        if (!offered.contains(protocol)) {
            throw new ApiException(
                    403,
                    "Forbidden",
                    "unable to upgrade: unable to negotiate protocol: client supports " + offered
                            + ", server supports [" + protocol + "]",
                    null,
                    null);
        }
        FullHttpResponse response =
                new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS);
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
        response.headers().set(HttpHeaderNames.UPGRADE, "SPDY/3.1");
        response.headers().set("X-Stream-Protocol-Version", protocol);
        ctx.writeAndFlush(response);
        // the response is encoded by now; from here on the connection speaks SPDY
        ChannelPipeline pipeline = ctx.pipeline();
        pipeline.remove("chunked");
        pipeline.remove("aggregator");
        pipeline.remove("utf8");
        pipeline.remove("headers");
        pipeline.remove("http");
        pipeline.remove(ctx.handler());
    }

    private static void addSpdy(ChannelPipeline pipeline, io.netty.channel.ChannelHandler handler) {
        pipeline.addLast("spdy", new SpdyFrameCodec(SpdyVersion.SPDY_3_1));
        pipeline.addLast("spdy-control", new SpdyControl());
        pipeline.addLast("stream", handler);
    }
}
