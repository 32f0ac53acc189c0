package dev.clusterconnect.routes.component.kubeclient;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notes whether the server sent any byte since the current exchange began. It sits below the
 * HTTP decoder (and above TLS, so handshake records do not count), because the decoder says
 * nothing until a whole response head has arrived: a server that died halfway through a head
 * had started to answer, and a request it may have acted on must not be sent again.
 *
 * <p>Between exchanges, while the connection waits in the pool, the server has nothing to say:
 * a byte then is the tail of a response that lied about its length (or the answer to a request
 * we never sent), and it would be read as the answer to the next request. The connection is
 * closed instead.
 */
final class FirstResponseByte extends ChannelInboundHandlerAdapter {

    static final String NAME = "first-response-byte";

    private static final Logger LOG = LoggerFactory.getLogger(FirstResponseByte.class);

    private boolean arrived;
    private boolean betweenExchanges;

    /**
     * Starts watching for the answer to a new request on {@code channel}; bytes before belong to
     * an earlier exchange. Null when the channel has no watch (it was torn down).
     */
    static FirstResponseByte expect(Channel channel) {
        FirstResponseByte watch = channel.pipeline().get(FirstResponseByte.class);
        if (watch != null) {
            watch.arrived = false;
            watch.betweenExchanges = false;
        }
        return watch;
    }

    /** The connection's exchange is over: from now on any byte from the server spoils it. Event loop only. */
    static void betweenExchanges(Channel channel) {
        FirstResponseByte watch = channel.pipeline().get(FirstResponseByte.class);
        if (watch != null) {
            watch.betweenExchanges = true;
        }
    }

    boolean arrived() {
        return arrived;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf bytes && bytes.isReadable()) {
            if (betweenExchanges) {
                LOG.info(
                        "{} sent {} bytes while no request was open; closing the connection",
                        ctx.channel(),
                        bytes.readableBytes());
                ReferenceCountUtil.release(msg);
                ctx.close();
                return;
            }
            arrived = true;
        }
        ctx.fireChannelRead(msg);
    }
}
