package dev.clusterconnect.routes.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.clusterconnect.routes.http.RequestHead;
import dev.clusterconnect.routes.http.ResponseHead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FrameCodecTest {

    private static final ByteBufAllocator ALLOC = UnpooledByteBufAllocator.DEFAULT;
    private static final int MAX_HEAD = 64 * 1024;

    @Test
    void openKeepsMethodTargetAndHeadersWithTheirCaseOrderAndRepetition() throws Exception {
        HttpHeaders headers = new DefaultHttpHeaders();
        headers.add("Accept", "application/json");
        headers.add("X-Mixed-CASE", "One");
        headers.add("accept", "application/yaml");
        headers.add("Impersonate-Group", "system:masters");
        headers.add("Impersonate-Group", "dev");
        RequestHead sent = new RequestHead("GET", "/api/v1/pods?watch=1&labelSelector=a%3Db", headers);

        RequestHead received =
                decoded(FrameCodec.open(ALLOC, 7, sent, MAX_HEAD), FrameType.OPEN, 7, FrameCodec::readRequestHead);

        assertThat(received.method()).isEqualTo("GET");
        assertThat(received.target()).isEqualTo("/api/v1/pods?watch=1&labelSelector=a%3Db");
        assertThat(received.headers().entries())
                .extracting(Map.Entry::getKey, Map.Entry::getValue)
                .containsExactly(
                        tuple("Accept", "application/json"),
                        tuple("X-Mixed-CASE", "One"),
                        tuple("accept", "application/yaml"),
                        tuple("Impersonate-Group", "system:masters"),
                        tuple("Impersonate-Group", "dev"));
    }

    @Test
    void headersKeepStatusAndLatin1Values() throws Exception {
        HttpHeaders headers = new DefaultHttpHeaders();
        headers.add("Upgrade", "SPDY/3.1");
        headers.add("X-Latin1", "caf\u00e9");
        headers.add("Set-Cookie", "a=1");
        headers.add("Set-Cookie", "b=2");

        ResponseHead received = decoded(
                FrameCodec.headers(ALLOC, 3, new ResponseHead(101, headers), MAX_HEAD),
                FrameType.HEADERS,
                3,
                FrameCodec::readResponseHead);

        assertThat(received.status()).isEqualTo(101);
        assertThat(received.headers().entries())
                .extracting(Map.Entry::getKey, Map.Entry::getValue)
                .containsExactly(
                        tuple("Upgrade", "SPDY/3.1"),
                        tuple("X-Latin1", "caf\u00e9"),
                        tuple("Set-Cookie", "a=1"),
                        tuple("Set-Cookie", "b=2"));
    }

    @Test
    void dataCarriesItsBytesUnchanged() throws Exception {
        byte[] body = ScriptedSource.pattern(5000, 3);

        byte[] received = decoded(
                FrameCodec.data(ALLOC, 9, Unpooled.wrappedBuffer(body)), FrameType.DATA, 9, FrameCodecTest::bytes);

        assertThat(received).isEqualTo(body);
    }

    @Test
    void endIsAnEmptyFrameForItsStream() throws Exception {
        byte[] payload =
                decoded(FrameCodec.control(ALLOC, FrameType.END, 12), FrameType.END, 12, FrameCodecTest::bytes);

        assertThat(payload).isEmpty();
    }

    @Test
    void resetCarriesCodeAndUtf8Reason() throws Exception {
        for (ResetCode code : ResetCode.values()) {
            String reason = decoded(
                    FrameCodec.reset(ALLOC, 4, code, "kubectl went away \u2014 \u00fcber"),
                    FrameType.RESET,
                    4,
                    payload -> {
                        assertThat(ResetCode.of(payload.readUnsignedShort())).isEqualTo(code);
                        return FrameCodec.readReason(payload);
                    });
            assertThat(reason).isEqualTo("kubectl went away \u2014 \u00fcber");
        }
    }

    @Test
    void resetReasonIsCutTo512Characters() throws Exception {
        String reason = decoded(
                FrameCodec.reset(ALLOC, 4, ResetCode.INTERNAL, "x".repeat(2000)),
                FrameType.RESET,
                4,
                payload -> FrameCodec.readReason(payload.skipBytes(2)));

        assertThat(reason).hasSize(512);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 65_536, Integer.MAX_VALUE})
    void windowCarriesItsIncrement(int increment) throws Exception {
        int received = decoded(FrameCodec.window(ALLOC, 5, increment), FrameType.WINDOW, 5, ByteBuf::readInt);

        assertThat(received).isEqualTo(increment);
    }

    @Test
    void pingAndPongCarryEightOpaqueBytesOnStreamZero() throws Exception {
        assertThat(decoded(
                        FrameCodec.ping(ALLOC, FrameType.PING, 0x0102030405060708L),
                        FrameType.PING,
                        0,
                        ByteBuf::readLong))
                .isEqualTo(0x0102030405060708L);
        assertThat(decoded(FrameCodec.ping(ALLOC, FrameType.PONG, -1L), FrameType.PONG, 0, ByteBuf::readLong))
                .isEqualTo(-1L);
    }

    @Test
    void goAwayCarriesLastStreamIdCodeAndReason() throws Exception {
        decoded(FrameCodec.goAway(ALLOC, 41, 3, "relay stopping"), FrameType.GOAWAY, 0, payload -> {
            assertThat(payload.readInt()).isEqualTo(41);
            assertThat(payload.readUnsignedShort()).isEqualTo(3);
            assertThat(FrameCodec.readReason(payload)).isEqualTo("relay stopping");
            return null;
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 4})
    void aMessageShorterThanFiveBytesIsNotAFrame(int length) {
        ByteBuf message = Unpooled.wrappedBuffer(new byte[] {3, 0, 0, 0, 1}, 0, length);

        assertThat(FrameCodec.decode(message)).isNull();
        assertThat(message.refCnt()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 10, 15, 16, 200, 255})
    void anUnknownFrameTypeIsNotAFrame(int type) {
        ByteBuf message = RawFrames.frame(type, 1, (byte) 1, (byte) 2);

        assertThat(FrameCodec.decode(message)).isNull();
        assertThat(message.refCnt()).isEqualTo(1);
    }

    @Test
    void everyTruncationOfAnOpenIsMalformed() {
        ByteBuf whole = RawFrames.open(1, "GET", "/api", "Accept", "*/*");
        int payloadLength = whole.readableBytes() - FrameCodec.HEADER_BYTES;
        for (int cut = 1; cut <= payloadLength; cut++) {
            ByteBuf payload = whole.retainedSlice(FrameCodec.HEADER_BYTES, payloadLength - cut);
            try {
                assertThatThrownBy(() -> FrameCodec.readRequestHead(payload))
                        .as("cut %d bytes", cut)
                        .isInstanceOf(MalformedFrameException.class);
            } finally {
                payload.release();
            }
        }
        whole.release();
    }

    @Test
    void aTruncatedHeadersIsMalformed() {
        ByteBuf payload = Unpooled.buffer()
                .writeShort(200)
                .writeShort(1)
                .writeShort(6)
                .writeBytes("Accept".getBytes(StandardCharsets.US_ASCII));

        assertThatThrownBy(() -> FrameCodec.readResponseHead(payload)).isInstanceOf(MalformedFrameException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\r\nX-Injected: 1", "a\nb", "a\rb"})
    void aHeaderValueWithALineBreakIsMalformed(String value) {
        ByteBuf frame = RawFrames.open(1, "GET", "/api", "X-Test", value);

        assertThatThrownBy(() -> FrameCodec.readRequestHead(frame.skipBytes(FrameCodec.HEADER_BYTES)))
                .isInstanceOf(MalformedFrameException.class);
    }

    @Test
    void aHeaderNameWithALineBreakIsMalformed() {
        ByteBuf frame = RawFrames.open(1, "GET", "/api", "X-Test\r\nX-Injected", "1");

        assertThatThrownBy(() -> FrameCodec.readRequestHead(frame.skipBytes(FrameCodec.HEADER_BYTES)))
                .isInstanceOf(MalformedFrameException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api HTTP/1.1\r\nX-Injected: 1\r\nX: ", "/api\n", "/a b"})
    void aRequestTargetThatWouldSplitTheRequestLineIsMalformed(String target) {
        ByteBuf frame = RawFrames.open(1, "GET", target);

        assertThatThrownBy(() -> FrameCodec.readRequestHead(frame.skipBytes(FrameCodec.HEADER_BYTES)))
                .isInstanceOf(MalformedFrameException.class);
    }

    /** Found by FrameCodecFuzzTest: a method the agent's HTTP client refuses, or that ends its request line. */
    @ParameterizedTest
    @ValueSource(strings = {"\u00f7ET", "GET /x HTTP/1.1\r\nX:", "G(T", "GET\u0000"})
    void aMethodThatIsNotATokenIsMalformed(String method) {
        ByteBuf frame = RawFrames.open(1, method, "/api");

        assertThatThrownBy(() -> FrameCodec.readRequestHead(frame.skipBytes(FrameCodec.HEADER_BYTES)))
                .isInstanceOf(MalformedFrameException.class);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/api/v1/namespaces/a/../b/pods",
                "/api/./v1",
                "/api/%2e%2E/x",
                "/..",
                "http://other/api",
                "*",
                "/api/v1/pods/caf\u00e9",
                "/api#fragment"
            })
    void aTargetAHopCouldReadAsAnotherPathIsMalformed(String target) {
        ByteBuf frame = RawFrames.open(1, "GET", target);

        assertThatThrownBy(() -> FrameCodec.readRequestHead(frame.skipBytes(FrameCodec.HEADER_BYTES)))
                .isInstanceOf(MalformedFrameException.class);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/api/v1/namespaces/default/pods?fieldSelector=metadata.name%3D..",
                "/apis/a.b/v1/x.y",
                "/a/...",
                "/api/v1/namespaces/x/services/s:80/proxy/a%2Fb"
            })
    void aTargetWithDotsThatAreNotSegmentsIsAccepted(String target) throws Exception {
        ByteBuf frame = RawFrames.open(1, "GET", target);

        assertThat(FrameCodec.readRequestHead(frame.skipBytes(FrameCodec.HEADER_BYTES))
                        .target())
                .isEqualTo(target);
    }

    @Test
    void bytesAfterTheHeaderBlockAreMalformed() {
        ByteBuf frame = RawFrames.open(1, "GET", "/api").writeByte(0);

        assertThatThrownBy(() -> FrameCodec.readRequestHead(frame.skipBytes(FrameCodec.HEADER_BYTES)))
                .isInstanceOf(MalformedFrameException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 99, 600, 65_535})
    void aStatusOutsideHttpsRangeIsMalformed(int status) {
        ByteBuf payload = Unpooled.buffer().writeShort(status).writeShort(0);

        assertThatThrownBy(() -> FrameCodec.readResponseHead(payload)).isInstanceOf(MalformedFrameException.class);
    }

    @Test
    void aHeadOverMaxHeaderBytesIsNotEncoded() {
        HttpHeaders headers = new DefaultHttpHeaders();
        headers.add("X-Big", "v".repeat(1000));
        RequestHead request = new RequestHead("GET", "/api", headers);
        int encoded = 2 + 3 + 2 + 4 + 2 + 2 + 5 + 2 + 1000;

        assertThat(FrameCodec.open(ALLOC, 1, request, encoded - 1)).isNull();
        ByteBuf fits = FrameCodec.open(ALLOC, 1, request, encoded);
        assertThat(fits).isNotNull();
        fits.release();
        assertThat(FrameCodec.headers(ALLOC, 1, new ResponseHead(200, headers), 1000))
                .isNull();
    }

    @Test
    void aHeaderValueLongerThanAU16LengthIsNotEncoded() {
        HttpHeaders headers = new DefaultHttpHeaders();
        headers.add("X-Huge", "v".repeat(70_000));

        assertThat(FrameCodec.open(ALLOC, 1, new RequestHead("GET", "/api", headers), Integer.MAX_VALUE))
                .isNull();
    }

    private interface PayloadReader<T> {
        T read(ByteBuf payload) throws Exception;
    }

    /** Decodes {@code message}, checks its type and stream, and reads its payload with {@code reader}. */
    private static <T> T decoded(ByteBuf message, FrameType type, int streamId, PayloadReader<T> reader)
            throws Exception {
        Frame frame = FrameCodec.decode(message);
        message.release();
        assertThat(frame).isNotNull();
        try {
            assertThat(frame.type()).isEqualTo(type);
            assertThat(frame.streamId()).isEqualTo(streamId);
            return reader.read(frame.payload());
        } finally {
            frame.payload().release();
            assertThat(frame.payload().refCnt())
                    .as("the frame's buffer is released")
                    .isZero();
        }
    }

    private static byte[] bytes(ByteBuf payload) {
        byte[] bytes = new byte[payload.readableBytes()];
        payload.readBytes(bytes);
        return bytes;
    }
}
