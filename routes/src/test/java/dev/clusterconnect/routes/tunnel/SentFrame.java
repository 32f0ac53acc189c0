package dev.clusterconnect.routes.tunnel;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A frame a session wrote, decoded and copied so tests can look at it after the buffer is gone. */
record SentFrame(FrameType type, int streamId, byte[] payload) {

    static SentFrame of(ByteBuf message) {
        Frame frame = FrameCodec.decode(message);
        if (frame == null) {
            throw new AssertionError("the session wrote a message that is not a frame");
        }
        try {
            byte[] bytes = new byte[frame.payload().readableBytes()];
            frame.payload().readBytes(bytes);
            return new SentFrame(frame.type(), frame.streamId(), bytes);
        } finally {
            frame.payload().release();
        }
    }

    ResetCode resetCode() {
        return ResetCode.of(buffer().readUnsignedShort());
    }

    String resetReason() {
        return FrameCodec.readReason(buffer().skipBytes(2));
    }

    int windowIncrement() {
        return buffer().readInt();
    }

    long opaque() {
        return buffer().readLong();
    }

    int goAwayLastStreamId() {
        return buffer().readInt();
    }

    String goAwayReason() {
        return FrameCodec.readReason(buffer().skipBytes(6));
    }

    String text() {
        return new String(payload, StandardCharsets.ISO_8859_1);
    }

    ByteBuf buffer() {
        return Unpooled.wrappedBuffer(payload);
    }

    @Override
    public String toString() {
        return type + "(" + streamId + ", " + payload.length + " bytes"
                + (payload.length <= 16 ? " " + Arrays.toString(payload) : "") + ")";
    }
}
