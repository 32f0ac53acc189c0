package dev.clusterconnect.routes.stream;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * Writes one direction of an exchange into a socket: as HTTP body content while the connection
 * speaks HTTP, as raw bytes once it was upgraded (exec, port-forward).
 */
public final class ChannelSink implements ByteSink {

    private final Channel channel;
    private final boolean http;
    private final Runnable onEnd;
    private volatile boolean done;

    /**
     * @param http wrap writes in HTTP content (false: raw bytes of an upgraded connection)
     * @param onEnd run on the event loop after the last byte was written (for HTTP: the response
     *     is complete and the connection may serve the next request); for raw sinks the
     *     connection is closed instead
     */
    public ChannelSink(Channel channel, boolean http, Runnable onEnd) {
        this.channel = channel;
        this.http = http;
        this.onEnd = onEnd;
    }

    @Override
    public void write(ByteBuf data, Runnable flushed) {
        if (done || !channel.isActive()) {
            ReferenceCountUtil.release(data);
            if (flushed != null) {
                flushed.run();
            }
            return;
        }
        Object message = http ? new DefaultHttpContent(data) : data;
        if (flushed == null) {
            channel.writeAndFlush(message, channel.voidPromise());
        } else {
            channel.writeAndFlush(message).addListener(f -> flushed.run());
        }
    }

    @Override
    public boolean isWritable() {
        return channel.isWritable() || !channel.isActive();
    }

    @Override
    public void whenWritable(Runnable resume) {
        WritabilityNotifier.whenWritable(channel, resume);
    }

    @Override
    public void end() {
        if (done) {
            return;
        }
        done = true;
        if (http) {
            channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener((ChannelFutureListener) f -> {
                if (f.isSuccess()) {
                    onEnd.run();
                } else {
                    f.channel().close();
                }
            });
        } else {
            channel.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void abort(String reason) {
        if (done) {
            return;
        }
        done = true;
        // A truncated body is the honest signal: closing without the last chunk tells kubectl the
        // response did not complete.
        channel.close();
    }
}
