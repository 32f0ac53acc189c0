package dev.clusterconnect.routes.tunnel;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/**
 * Frames written byte by byte, bypassing {@link FrameCodec}'s checks, for what a broken or hostile
 * peer could send.
 */
final class RawFrames {

    private RawFrames() {}

    static ByteBuf frame(int type, int streamId, byte... payload) {
        return Unpooled.buffer().writeByte(type).writeInt(streamId).writeBytes(payload);
    }

    /** An OPEN whose strings are written as given: {@code headers} alternate names and values. */
    static ByteBuf open(int streamId, String method, String target, String... headers) {
        ByteBuf buf = Unpooled.buffer().writeByte(FrameType.OPEN.code).writeInt(streamId);
        string(buf, method);
        string(buf, target);
        buf.writeShort(headers.length / 2);
        for (String s : headers) {
            string(buf, s);
        }
        return buf;
    }

    static ByteBuf truncated(ByteBuf frame, int bytesToCut) {
        return frame.writerIndex(frame.writerIndex() - bytesToCut);
    }

    private static void string(ByteBuf buf, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.ISO_8859_1);
        buf.writeShort(bytes.length).writeBytes(bytes);
    }
}
