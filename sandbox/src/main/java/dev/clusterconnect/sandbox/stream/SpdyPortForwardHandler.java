package dev.clusterconnect.sandbox.stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Port-forward over SPDY/3.1 ({@code portforward.k8s.io}): for each connection the client opens an
 * {@code error} and a {@code data} stream with the same {@code requestid} and {@code port} headers.
 * Bytes on the data stream go to the pod port and back; a failure is reported as text on the error
 * stream. When either side finishes, both streams are finished, which kubectl waits for.
 */
final class SpdyPortForwardHandler extends ChannelInboundHandlerAdapter {

    private final PortForwardTargets targets;
    private final String podName;
    private final Map<String, Forward> byRequest = new HashMap<>();
    private final Map<Integer, Forward> byDataStream = new HashMap<>();
    private Channel channel;

    SpdyPortForwardHandler(PortForwardTargets targets, String podName) {
        this.targets = targets;
        this.podName = podName;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof SpdySynStreamFrame syn) {
                onStream(ctx, syn);
            } else if (msg instanceof SpdyDataFrame data) {
                Forward forward = byDataStream.get(data.streamId());
                if (forward != null) {
                    forward.fromClient(data.content().retain(), data.isLast());
                }
            } else if (msg instanceof SpdyRstStreamFrame rst) {
                Forward forward = byDataStream.remove(rst.streamId());
                if (forward != null) {
                    forward.close();
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onStream(ChannelHandlerContext ctx, SpdySynStreamFrame syn) {
        String type = syn.headers().getAsString(SpdyExecHandler.STREAM_TYPE);
        String requestId = syn.headers().getAsString("requestid");
        int port = Integer.parseInt(syn.headers().getAsString("port"));
        ctx.writeAndFlush(SpdyReplies.accept(syn));
        Forward forward = byRequest.computeIfAbsent(requestId, id -> new Forward(port));
        if ("error".equals(type)) {
            forward.errorStream = syn.streamId();
        } else if ("data".equals(type)) {
            forward.dataStream = syn.streamId();
            byDataStream.put(syn.streamId(), forward);
        }
        if (forward.errorStream != 0 && forward.dataStream != 0) {
            byRequest.remove(requestId);
            forward.open();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        byDataStream.values().forEach(Forward::close);
        byDataStream.clear();
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    /** One forwarded connection: a pair of streams and the pod port behind them. */
    private final class Forward implements PortConnection.Peer {
        private final int port;
        private int errorStream;
        private int dataStream;
        private PortConnection connection;
        private boolean finished;

        Forward(int port) {
            this.port = port;
        }

        void open() {
            connection = PortConnection.open(channel.eventLoop(), targets.target(port), this);
        }

        void fromClient(ByteBuf data, boolean last) {
            connection.write(data, last);
        }

        void close() {
            if (connection != null) {
                connection.close();
            }
        }

        @Override
        public void data(ByteBuf data) {
            channel.writeAndFlush(new DefaultSpdyDataFrame(dataStream, data));
        }

        @Override
        public void failed(String reason) {
            String message = "error forwarding port " + port + " to pod " + podName + ", uid : " + reason;
            channel.writeAndFlush(
                    new DefaultSpdyDataFrame(errorStream, Unpooled.copiedBuffer(message, StandardCharsets.UTF_8)));
            ended();
        }

        @Override
        public void ended() {
            if (finished || !channel.isActive()) {
                return;
            }
            finished = true;
            channel.write(new DefaultSpdyDataFrame(dataStream).setLast(true));
            channel.writeAndFlush(new DefaultSpdyDataFrame(errorStream).setLast(true));
            byDataStream.remove(dataStream);
        }
    }
}
