package dev.clusterconnect.routes.tunnel;

import dev.clusterconnect.routes.http.RequestHead;
import dev.clusterconnect.routes.http.RequestLine;
import dev.clusterconnect.routes.http.ResponseHead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Encodes and decodes the frames of docs/protocol.md. Stateless. */
final class FrameCodec {

    static final int HEADER_BYTES = 5;
    private static final Charset LATIN1 = StandardCharsets.ISO_8859_1;

    private FrameCodec() {}

    /** Decodes a message; null when it is too short to name a frame type and stream. */
    static Frame decode(ByteBuf message) {
        if (message.readableBytes() < HEADER_BYTES) {
            return null;
        }
        int code = message.getUnsignedByte(message.readerIndex());
        int streamId = message.getInt(message.readerIndex() + 1);
        FrameType type = FrameType.of(code);
        if (type == null) {
            return null;
        }
        ByteBuf payload =
                message.retainedSlice(message.readerIndex() + HEADER_BYTES, message.readableBytes() - HEADER_BYTES);
        return new Frame(type, streamId, payload);
    }

    static ByteBuf control(ByteBufAllocator alloc, FrameType type, int streamId) {
        return header(alloc, type, streamId, 0);
    }

    /** A frame's header in a buffer with room for {@code payloadBytes} more. */
    private static ByteBuf header(ByteBufAllocator alloc, FrameType type, int streamId, int payloadBytes) {
        return alloc.buffer(HEADER_BYTES + payloadBytes).writeByte(type.code).writeInt(streamId);
    }

    /**
     * A DATA frame holding {@code data} (released here) in one contiguous buffer. A composite of
     * header and payload would save this copy, but the agent's WebSocket encoder masks every byte
     * it sends (RFC 6455 clients must), and masking a composite reads it an int at a time through
     * the component lookup: measured, that costs several times the copy.
     */
    static ByteBuf data(ByteBufAllocator alloc, int streamId, ByteBuf data) {
        try {
            return header(alloc, FrameType.DATA, streamId, data.readableBytes()).writeBytes(data);
        } finally {
            data.release();
        }
    }

    static ByteBuf window(ByteBufAllocator alloc, int streamId, int increment) {
        return control(alloc, FrameType.WINDOW, streamId).writeInt(increment);
    }

    static ByteBuf reset(ByteBufAllocator alloc, int streamId, ResetCode code, String reason) {
        ByteBuf buf = control(alloc, FrameType.RESET, streamId).writeShort(code.code);
        buf.writeCharSequence(truncate(reason, 512), StandardCharsets.UTF_8);
        return buf;
    }

    static ByteBuf ping(ByteBufAllocator alloc, FrameType pingOrPong, long opaque) {
        return control(alloc, pingOrPong, 0).writeLong(opaque);
    }

    static ByteBuf goAway(ByteBufAllocator alloc, int lastStreamId, int code, String reason) {
        ByteBuf buf = control(alloc, FrameType.GOAWAY, 0).writeInt(lastStreamId).writeShort(code);
        buf.writeCharSequence(truncate(reason, 512), StandardCharsets.UTF_8);
        return buf;
    }

    /** An OPEN frame, or null when the head is over {@code maxHeaderBytes}. */
    static ByteBuf open(ByteBufAllocator alloc, int streamId, RequestHead head, int maxHeaderBytes) {
        ByteBuf buf = control(alloc, FrameType.OPEN, streamId);
        try {
            writeString(buf, head.method());
            writeString(buf, head.target());
            writeHeaders(buf, head.headers());
        } catch (IllegalArgumentException tooLong) {
            buf.release();
            return null;
        }
        return checkSize(buf, maxHeaderBytes);
    }

    /** A HEADERS frame, or null when the head is over {@code maxHeaderBytes}. */
    static ByteBuf headers(ByteBufAllocator alloc, int streamId, ResponseHead head, int maxHeaderBytes) {
        ByteBuf buf = control(alloc, FrameType.HEADERS, streamId).writeShort(head.status());
        try {
            writeHeaders(buf, head.headers());
        } catch (IllegalArgumentException tooLong) {
            buf.release();
            return null;
        }
        return checkSize(buf, maxHeaderBytes);
    }

    static RequestHead readRequestHead(ByteBuf payload) throws MalformedFrameException {
        try {
            String method = readString(payload);
            String target = readString(payload);
            HttpHeaders headers = readHeaders(payload);
            // The agent writes both into its request line as they are (see RequestLine).
            if (!RequestLine.isMethod(method) || RequestLine.targetFlaw(target) != null) {
                throw new MalformedFrameException("bad request line");
            }
            return new RequestHead(method, target, headers);
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new MalformedFrameException("truncated or invalid request head");
        }
    }

    static ResponseHead readResponseHead(ByteBuf payload) throws MalformedFrameException {
        try {
            int status = payload.readUnsignedShort();
            if (status < 100 || status > 599) {
                throw new MalformedFrameException("bad status " + status);
            }
            return new ResponseHead(status, readHeaders(payload));
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new MalformedFrameException("truncated or invalid response head");
        }
    }

    static String readReason(ByteBuf payload) {
        return payload.readCharSequence(payload.readableBytes(), StandardCharsets.UTF_8)
                .toString();
    }

    private static ByteBuf checkSize(ByteBuf buf, int maxHeaderBytes) {
        if (buf.readableBytes() - HEADER_BYTES > maxHeaderBytes) {
            buf.release();
            return null;
        }
        return buf;
    }

    private static void writeHeaders(ByteBuf buf, HttpHeaders headers) {
        buf.writeShort(headers.size());
        for (Map.Entry<String, String> header : headers) {
            writeString(buf, header.getKey());
            writeString(buf, header.getValue());
        }
    }

    // Validating headers: a CR or LF smuggled into a name or value fails the frame here, before
    // it can reach a socket.
    private static HttpHeaders readHeaders(ByteBuf payload) {
        int count = payload.readUnsignedShort();
        HttpHeaders headers = new DefaultHttpHeaders(true);
        for (int i = 0; i < count; i++) {
            headers.add(readString(payload), readString(payload));
        }
        if (payload.isReadable()) {
            throw new IllegalArgumentException("trailing bytes after headers");
        }
        return headers;
    }

    // Latin-1 is one byte a character, so both directions go straight between String and buffer
    // (a character above U+00FF becomes '?', as String.getBytes(LATIN1) would make it).
    private static void writeString(ByteBuf buf, String value) {
        if (value.length() > 0xFFFF) {
            throw new IllegalArgumentException("header too long");
        }
        buf.writeShort(value.length()).writeCharSequence(value, LATIN1);
    }

    private static String readString(ByteBuf payload) {
        int length = payload.readUnsignedShort();
        if (length > payload.readableBytes()) {
            throw new IndexOutOfBoundsException("string of " + length + " bytes in " + payload.readableBytes());
        }
        String value = payload.toString(payload.readerIndex(), length, LATIN1);
        payload.skipBytes(length);
        return value;
    }

    private static String truncate(String value, int max) {
        String safe = value == null ? "" : value;
        return safe.length() <= max ? safe : safe.substring(0, max);
    }
}
