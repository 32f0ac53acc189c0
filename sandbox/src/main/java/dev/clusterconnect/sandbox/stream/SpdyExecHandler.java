package dev.clusterconnect.sandbox.stream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clusterconnect.sandbox.store.Json;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import io.netty.util.ReferenceCountUtil;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Exec and attach over SPDY/3.1 ({@code v4.channel.k8s.io} and older): the client opens one stream
 * per channel, named by its {@code streamtype} header ({@code error}, {@code stdin}, {@code stdout},
 * {@code stderr}, {@code resize}). The process starts once every stream the request asked for is
 * open; at its end the Status goes on the error stream and every stream is finished.
 */
final class SpdyExecHandler extends ChannelInboundHandlerAdapter implements ExecSession.Transport {

    static final String STREAM_TYPE = "streamtype";

    private final Channel channel;
    private final Set<String> expected;
    private final Runnable start;
    private final Map<String, Integer> streams = new HashMap<>();
    private ExecSession session;
    private boolean started;

    /**
     * @param expected the stream types the request asked for
     * @param start starts the process once they are all open
     */
    SpdyExecHandler(Channel channel, Set<String> expected, Runnable start) {
        this.channel = channel;
        this.expected = Set.copyOf(expected);
        this.start = start;
    }

    void attach(ExecSession session) {
        this.session = session;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof SpdySynStreamFrame syn) {
                onStream(ctx, syn);
            } else if (msg instanceof SpdyDataFrame data) {
                onData(data);
            } else if (msg instanceof SpdyRstStreamFrame rst && isStdin(rst.streamId())) {
                session.stdinClosed();
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onStream(ChannelHandlerContext ctx, SpdySynStreamFrame syn) {
        String type = syn.headers().getAsString(STREAM_TYPE);
        streams.put(type, syn.streamId());
        ctx.writeAndFlush(SpdyReplies.accept(syn));
        if (syn.isLast() && "stdin".equals(type)) {
            session.stdinClosed();
        }
        if (!started && streams.keySet().containsAll(expected)) {
            started = true;
            start.run();
        }
    }

    private void onData(SpdyDataFrame data) {
        if (!isStdin(data.streamId())) {
            return;
        }
        if (data.content().isReadable()) {
            session.stdin(ByteBufUtil.getBytes(data.content()));
        }
        if (data.isLast()) {
            session.stdinClosed();
        }
    }

    private boolean isStdin(int streamId) {
        Integer stdin = streams.get("stdin");
        return stdin != null && stdin == streamId;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        session.cancel();
        super.channelInactive(ctx);
    }

    @Override
    public void send(int channelNumber, byte[] data) {
        Integer streamId = streams.get(channelNumber == ExecSession.STDOUT ? "stdout" : "stderr");
        if (streamId != null) {
            channel.writeAndFlush(new DefaultSpdyDataFrame(streamId, Unpooled.wrappedBuffer(data)));
        }
    }

    @Override
    public void finish(ObjectNode status) {
        channel.eventLoop().execute(() -> {
            Integer error = streams.get("error");
            if (error != null) {
                channel.write(new DefaultSpdyDataFrame(error, Unpooled.wrappedBuffer(Json.bytes(status))));
            }
            for (String type : new String[] {"stdout", "stderr", "error"}) {
                Integer streamId = streams.get(type);
                if (streamId != null) {
                    channel.write(new DefaultSpdyDataFrame(streamId).setLast(true));
                }
            }
            channel.flush();
        });
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
