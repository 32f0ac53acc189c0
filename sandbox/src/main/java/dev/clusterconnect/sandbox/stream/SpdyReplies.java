package dev.clusterconnect.sandbox.stream;

import io.netty.handler.codec.spdy.DefaultSpdySynReplyFrame;
import io.netty.handler.codec.spdy.SpdySynReplyFrame;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;

/** SYN_REPLY frames that Go's SPDY framer accepts. */
final class SpdyReplies {

    private SpdyReplies() {}

    /**
     * A reply accepting a stream. Netty encodes an empty header block as zero bytes, which Go's framer
     * cannot decompress, so the reply echoes the stream's type header; the client ignores it.
     */
    static SpdySynReplyFrame accept(SpdySynStreamFrame syn) {
        SpdySynReplyFrame reply = new DefaultSpdySynReplyFrame(syn.streamId());
        String type = syn.headers().getAsString(SpdyExecHandler.STREAM_TYPE);
        reply.headers().set(SpdyExecHandler.STREAM_TYPE, type == null ? "unknown" : type);
        return reply;
    }
}
