package dev.clusterconnect.routes.component.kubeclient;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Notes whether the server sent any byte since the current exchange began. It sits below the
 * HTTP decoder (and above TLS, so handshake records do not count), because the decoder says
 * nothing until a whole response head has arrived: a server that died halfway through a head
 * had started to answer, and a request it may have acted on must not be sent again.
 */
final class FirstResponseByte extends ChannelInboundHandlerAdapter {

    static final String NAME = "first-response-byte";

    private boolean arrived;

    /**
     * Starts watching for the answer to a new request on {@code channel}; bytes before belong to
     * an earlier exchange. Null when the channel has no watch (it was torn down).
     */
    static FirstResponseByte expect(Channel channel) {
        FirstResponseByte watch = channel.pipeline().get(FirstResponseByte.class);
        if (watch != null) {
            watch.arrived = false;
        }
        return watch;
    }

    boolean arrived() {
        return arrived;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf bytes && bytes.isReadable()) {
            arrived = true;
        }
        ctx.fireChannelRead(msg);
    }
}
