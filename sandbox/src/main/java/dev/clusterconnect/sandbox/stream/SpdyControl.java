package dev.clusterconnect.sandbox.stream;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.spdy.SpdyGoAwayFrame;
import io.netty.handler.codec.spdy.SpdyPingFrame;
import io.netty.handler.codec.spdy.SpdySettingsFrame;
import io.netty.handler.codec.spdy.SpdyWindowUpdateFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * The session-level part of SPDY/3.1 that kubectl needs: answer pings, stop on GOAWAY, and ignore
 * settings and window updates. Netty's {@code SpdySessionHandler} is not used because it enforces
 * SPDY flow control, and Go's spdystream (kubectl's side) never sends WINDOW_UPDATE: output would
 * stall after the first 64 KiB.
 */
final class SpdyControl extends ChannelInboundHandlerAdapter {

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof SpdyPingFrame ping) {
            ctx.writeAndFlush(ping);
        } else if (msg instanceof SpdyGoAwayFrame) {
            ctx.close();
        } else if (msg instanceof SpdySettingsFrame || msg instanceof SpdyWindowUpdateFrame) {
            ReferenceCountUtil.release(msg);
        } else {
            ctx.fireChannelRead(msg);
        }
    }
}
