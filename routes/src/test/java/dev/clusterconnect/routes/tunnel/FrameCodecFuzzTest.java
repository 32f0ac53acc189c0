package dev.clusterconnect.routes.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.clusterconnect.routes.http.DotSegments;
import dev.clusterconnect.routes.http.RequestHead;
import dev.clusterconnect.routes.http.ResponseHead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.util.List;
import java.util.Map;

/**
 * Any WebSocket message a peer can send, through the frame decoder and the head parsers the
 * tunnel session runs on it. A peer is not trusted to be well-formed (a relay replica gone wrong,
 * an agent built from other sources): whatever it sends must end as a frame or nothing, and a head
 * the session accepts must be one the agent can write onto a socket unchanged. The corpus is in
 * {@code FrameCodecFuzzTestInputs/}; {@code bin/fuzz --only frames} looks for more.
 */
class FrameCodecFuzzTest {

    private static final ByteBufAllocator ALLOC = UnpooledByteBufAllocator.DEFAULT;
    private static final int MAX_HEAD = 1 << 20;

    @FuzzTest
    void anyMessageDecodesToAFrameOrNothingAndAcceptedHeadsAreSendable(byte[] message) throws Exception {
        ByteBuf buffer = Unpooled.wrappedBuffer(message);
        Frame frame = FrameCodec.decode(buffer);
        if (frame == null) {
            assertThat(message.length < FrameCodec.HEADER_BYTES || FrameType.of(message[0] & 0xFF) == null)
                    .as("a message of a known type with a full header is a frame")
                    .isTrue();
            assertThat(buffer.refCnt()).isEqualTo(1);
            buffer.release();
            return;
        }
        try {
            assertThat(frame.type().code).isEqualTo(message[0] & 0xFF);
            assertThat(frame.streamId())
                    .isEqualTo(Unpooled.wrappedBuffer(message).getInt(1));
            assertThat(ByteBufUtil.getBytes(frame.payload()))
                    .isEqualTo(java.util.Arrays.copyOfRange(message, 5, message.length));
            readAsTheSessionDoes(frame);
        } finally {
            frame.payload().release();
        }
        assertThat(buffer.refCnt())
                .as("the frame's payload is the message's only extra reference")
                .isEqualTo(1);
        buffer.release();
    }

    private static void readAsTheSessionDoes(Frame frame) {
        switch (frame.type()) {
            case OPEN -> requestHead(frame.payload().duplicate());
            case HEADERS -> responseHead(frame.payload().duplicate());
            case RESET -> {
                if (frame.payload().readableBytes() >= 2) {
                    ResetCode.of(frame.payload().duplicate().readUnsignedShort());
                    FrameCodec.readReason(frame.payload().duplicate().skipBytes(2));
                }
            }
            case GOAWAY -> {
                if (frame.payload().readableBytes() >= 6) {
                    FrameCodec.readReason(frame.payload().duplicate().skipBytes(6));
                }
            }
            default -> {
                // DATA, END, WINDOW, PING and PONG carry no text: their checks are the session's
            }
        }
    }

    private static void requestHead(ByteBuf payload) {
        RequestHead head;
        try {
            head = FrameCodec.readRequestHead(payload);
        } catch (MalformedFrameException refused) {
            return;
        }
        // The agent writes method and target into its request line as they are.
        assertThat(HttpMethod.valueOf(head.method()).name()).isEqualTo(head.method());
        assertThat(isToken(head.method()))
                .as("method %s is a token", printable(head.method()))
                .isTrue();
        assertThat(head.target()).startsWith("/");
        assertThat(head.target().chars().allMatch(c -> c > ' ' && c < 0x7F))
                .as("target %s is visible ASCII", printable(head.target()))
                .isTrue();
        String path = DotSegments.pathOf(head.target());
        assertThat(DotSegments.resolve(path))
                .as("a hop resolving dot segments serves the same path")
                .isEqualTo(path);
        assertSendable(head.headers());
        RequestHead again = roundTrip(FrameCodec.open(ALLOC, 1, head, MAX_HEAD), FrameCodec::readRequestHead);
        assertThat(again.method()).isEqualTo(head.method());
        assertThat(again.target()).isEqualTo(head.target());
        assertThat(pairs(again.headers())).isEqualTo(pairs(head.headers()));
    }

    private static void responseHead(ByteBuf payload) {
        ResponseHead head;
        try {
            head = FrameCodec.readResponseHead(payload);
        } catch (MalformedFrameException refused) {
            return;
        }
        assertThat(head.status()).isBetween(100, 599);
        assertSendable(head.headers());
        ResponseHead again = roundTrip(FrameCodec.headers(ALLOC, 1, head, MAX_HEAD), FrameCodec::readResponseHead);
        assertThat(again.status()).isEqualTo(head.status());
        assertThat(pairs(again.headers())).isEqualTo(pairs(head.headers()));
    }

    /** A header the next hop writes as it is: a token name and a value with no line break or NUL. */
    private static void assertSendable(HttpHeaders headers) {
        List<Map.Entry<String, String>> entries = headers.entries();
        for (Map.Entry<String, String> header : entries) {
            assertThat(isToken(header.getKey()))
                    .as("header name %s is a token", printable(header.getKey()))
                    .isTrue();
            assertThat(header.getValue().chars().noneMatch(c -> c == '\r' || c == '\n' || c == 0))
                    .as("header value %s has no line break or NUL", printable(header.getValue()))
                    .isTrue();
        }
    }

    private static List<List<String>> pairs(HttpHeaders headers) {
        return headers.entries().stream()
                .map(header -> List.of(header.getKey(), header.getValue()))
                .toList();
    }

    private static <T> T roundTrip(ByteBuf encoded, PayloadReader<T> reader) {
        assertThat(encoded).as("a head that was decoded can be encoded again").isNotNull();
        Frame frame = FrameCodec.decode(encoded);
        try {
            return reader.read(frame.payload());
        } catch (MalformedFrameException e) {
            throw new AssertionError("a head that was decoded does not decode again: " + e.getMessage(), e);
        } finally {
            frame.payload().release();
            encoded.release();
        }
    }

    /** RFC 9110 §5.6.2 token. */
    static boolean isToken(String value) {
        if (value.isEmpty()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean tchar = c > ' ' && c < 0x7F && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
            if (!tchar) {
                return false;
            }
        }
        return true;
    }

    private static String printable(String value) {
        StringBuilder out = new StringBuilder();
        value.chars()
                .forEach(
                        c -> out.append(c >= ' ' && c < 0x7F ? String.valueOf((char) c) : String.format("\\x%02x", c)));
        return out.toString();
    }

    @FunctionalInterface
    private interface PayloadReader<T> {
        T read(ByteBuf payload) throws MalformedFrameException;
    }
}
