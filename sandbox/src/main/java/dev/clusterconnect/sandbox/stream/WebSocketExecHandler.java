package dev.clusterconnect.sandbox.stream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clusterconnect.sandbox.store.Json;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.concurrent.TimeUnit;

/**
 * Exec and attach over the WebSocket remotecommand protocol ({@code v4.channel.k8s.io},
 * {@code v5.channel.k8s.io}): every binary message starts with its channel number: 0 stdin,
 * 1 stdout, 2 stderr, 3 error (the final Status), 4 resize; v5 adds 255, a close signal whose
 * payload byte names the channel the client closed.
 */
final class WebSocketExecHandler extends SimpleChannelInboundHandler<WebSocketFrame> implements ExecSession.Transport {

    private static final int STDIN = 0;
    private static final int ERROR = 3;
    private static final int RESIZE = 4;
    private static final int CLOSE = 255;

    private final Channel channel;
    private ExecSession session;

    WebSocketExecHandler(Channel channel) {
        this.channel = channel;
    }

    void attach(ExecSession session) {
        this.session = session;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (frame instanceof BinaryWebSocketFrame binary) {
            onMessage(binary.content());
        } else if (frame instanceof PingWebSocketFrame) {
            ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
        } else if (frame instanceof CloseWebSocketFrame) {
            ctx.close();
        }
    }

    private void onMessage(ByteBuf content) {
        if (!content.isReadable()) {
            return;
        }
        int streamId = content.readUnsignedByte();
        switch (streamId) {
            case STDIN -> session.stdin(ByteBufUtil.getBytes(content));
            case CLOSE -> {
                if (content.isReadable() && content.readUnsignedByte() == STDIN) {
                    session.stdinClosed();
                }
            }
            case RESIZE -> {}
            default -> {}
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        session.cancel();
        super.channelInactive(ctx);
    }

    @Override
    public void send(int streamId, byte[] data) {
        channel.writeAndFlush(frame(streamId, data));
    }

    @Override
    public void finish(ObjectNode status) {
        channel.write(frame(ERROR, Json.bytes(status)));
        channel.writeAndFlush(new CloseWebSocketFrame(1000, ""));
        // the client answers the close frame; if it does not, do not keep the connection forever
        channel.eventLoop().schedule(() -> channel.close(), 5, TimeUnit.SECONDS);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    private static BinaryWebSocketFrame frame(int streamId, byte[] data) {
        ByteBuf buf = Unpooled.buffer(data.length + 1).writeByte(streamId).writeBytes(data);
        return new BinaryWebSocketFrame(buf);
    }
}
