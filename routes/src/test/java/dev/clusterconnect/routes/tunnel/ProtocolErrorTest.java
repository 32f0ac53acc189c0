package dev.clusterconnect.routes.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clusterconnect.routes.http.ResponseHead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a session does with messages a correct peer never sends (docs/protocol.md, "Errors"). */
class ProtocolErrorTest {

    private final TunnelPeer agent = TunnelPeer.agent();
    private TunnelPeer relay;

    @AfterEach
    void shutsDownCleanly() {
        agent.closeCleanly();
        if (relay != null) {
            relay.closeCleanly();
        }
    }

    @Test
    void aMessageShorterThanFiveBytesIsDroppedAndTheSessionStaysOpen() {
        agent.receive(Unpooled.wrappedBuffer(new byte[] {1, 0, 0}));

        assertThat(agent.sent()).isEmpty();
        assertStillServes(1);
    }

    @Test
    void anUnknownFrameTypeIsIgnoredAndTheSessionStaysOpen() {
        agent.receive(RawFrames.frame(10, 1, (byte) 1, (byte) 2, (byte) 3));
        agent.receive(RawFrames.frame(0, 0));

        assertThat(agent.sent()).isEmpty();
        assertStillServes(1);
    }

    @Test
    void aTextMessageIsDroppedAndTheSessionStaysOpen() {
        agent.channel.writeInbound(new TextWebSocketFrame("hello"));

        assertThat(agent.sent()).isEmpty();
        assertStillServes(1);
    }

    @Test
    void aTruncatedOpenResetsOnlyThatStreamWithProtocol() {
        agent.receive(RawFrames.open(1, "POST", "/api/v1/namespaces", "Content-Type", "application/json"));
        agent.receive(RawFrames.truncated(RawFrames.open(2, "GET", "/api/v1/pods", "Accept", "*/*"), 2));

        assertThat(agent.sent()).singleElement().satisfies(reset -> assertReset(reset, 2, ResetCode.PROTOCOL));
        assertThat(agent.listener.opened).hasSize(1);

        agent.receive(FrameCodec.data(TunnelPeer.ALLOC, 1, Unpooled.copiedBuffer("{}", StandardCharsets.UTF_8)));
        agent.receive(FrameCodec.control(TunnelPeer.ALLOC, FrameType.END, 1));
        CollectingSink body = agent.listener.opened(0).body();
        assertThat(body.text()).isEqualTo("{}");
        assertThat(body.isEnded()).isTrue();
        assertStillServes(3);
    }

    @Test
    void aTruncatedHeadersResetsOnlyThatStreamWithProtocol() throws Exception {
        relay = TunnelPeer.relay();
        RecordingStreamListener first = new RecordingStreamListener();
        RecordingStreamListener second = new RecordingStreamListener();
        relay.session.open(StreamHeads.get("/api/v1/pods"), first);
        relay.session.open(StreamHeads.get("/api/v1/nodes"), second);
        assertThat(relay.sent()).extracting(SentFrame::type).containsExactly(FrameType.OPEN, FrameType.OPEN);

        ByteBuf headers = FrameCodec.headers(TunnelPeer.ALLOC, 1, StreamHeads.ok(), 1024);
        relay.receive(RawFrames.truncated(headers, 3));

        assertThat(relay.sent()).singleElement().satisfies(reset -> assertReset(reset, 1, ResetCode.PROTOCOL));
        assertThat(first.resets).extracting(RecordingStreamListener.Reset::code).containsExactly(ResetCode.PROTOCOL);
        assertThat(first.responses).isEmpty();

        relay.receive(FrameCodec.headers(TunnelPeer.ALLOC, 2, StreamHeads.ok(), 1024));
        relay.receive(FrameCodec.data(TunnelPeer.ALLOC, 2, Unpooled.copiedBuffer("nodes", StandardCharsets.UTF_8)));
        relay.receive(FrameCodec.control(TunnelPeer.ALLOC, FrameType.END, 2));
        assertThat(second.responses).extracting(ResponseHead::status).containsExactly(200);
        assertThat(second.body.text()).isEqualTo("nodes");
        assertThat(second.body.isEnded()).isTrue();
        assertThat(second.resets).isEmpty();
        assertThat(relay.channel.isOpen()).isTrue();
    }

    @Test
    void anOpenWithALineBreakInAHeaderValueIsResetAndNeverReachesTheListener() {
        agent.receive(RawFrames.open(1, "GET", "/api/v1/secrets", "X-Note", "a\r\nImpersonate-User: system:admin"));

        assertThat(agent.sent()).singleElement().satisfies(reset -> assertReset(reset, 1, ResetCode.PROTOCOL));
        assertThat(agent.listener.opened).isEmpty();
        assertThat(agent.session.openStreams()).isZero();
        assertStillServes(2);
    }

    @Test
    void anOpenWithALineBreakInTheTargetIsResetAndNeverReachesTheListener() {
        agent.receive(RawFrames.open(1, "GET", "/api HTTP/1.1\r\nImpersonate-User: system:admin\r\nX-Rest: "));

        assertThat(agent.sent()).singleElement().satisfies(reset -> assertReset(reset, 1, ResetCode.PROTOCOL));
        assertThat(agent.listener.opened).isEmpty();
        assertStillServes(2);
    }

    @Test
    void anOpenReceivedByTheRelayIsRefusedWithProtocol() {
        relay = TunnelPeer.relay();

        relay.receive(RawFrames.open(1, "GET", "/api"));

        assertThat(relay.sent()).singleElement().satisfies(reset -> assertReset(reset, 1, ResetCode.PROTOCOL));
        assertThat(relay.listener.opened).isEmpty();
        assertThat(relay.session.openStreams()).isZero();
        assertThat(relay.channel.isOpen()).isTrue();
    }

    @Test
    void anOpenWithAnIdBelowTheHighestSeenIsRefusedWithProtocol() {
        agent.receive(RawFrames.open(1, "GET", "/a"));
        agent.receive(RawFrames.open(3, "GET", "/b"));

        agent.receive(RawFrames.open(2, "GET", "/c"));

        assertThat(agent.sent()).singleElement().satisfies(reset -> assertReset(reset, 2, ResetCode.PROTOCOL));
        assertThat(agent.listener.opened)
                .extracting(opened -> opened.head().target())
                .containsExactly("/a", "/b");
        assertThat(agent.session.openStreams()).isEqualTo(2);
    }

    @Test
    void aRepeatedOpenForALiveStreamIsRefusedAndThatStreamIsResetOnBothSides() {
        agent.receive(RawFrames.open(1, "GET", "/a"));
        agent.receive(RawFrames.open(2, "GET", "/b"));

        agent.receive(RawFrames.open(2, "DELETE", "/b"));

        // The RESET kills stream 2 at the relay, so the agent must not go on serving it either.
        assertThat(agent.sent()).singleElement().satisfies(reset -> assertReset(reset, 2, ResetCode.PROTOCOL));
        assertThat(agent.listener.opened).hasSize(2);
        assertThat(agent.listener.opened(1).stream().isReset()).isTrue();
        assertThat(agent.listener.opened(1).body().isAborted()).isTrue();
        assertThat(agent.listener.opened(0).stream().isReset()).isFalse();
        assertThat(agent.session.openStreams()).isEqualTo(1);
    }

    @Test
    void framesForAStreamThatWasNeverOpenedAreAnsweredWithStreamClosed() {
        agent.receive(FrameCodec.data(TunnelPeer.ALLOC, 5, Unpooled.copiedBuffer(new byte[] {1, 2})));
        agent.receive(FrameCodec.control(TunnelPeer.ALLOC, FrameType.END, 6));

        List<SentFrame> sent = agent.sent();
        assertThat(sent).hasSize(2);
        assertReset(sent.get(0), 5, ResetCode.STREAM_CLOSED);
        assertReset(sent.get(1), 6, ResetCode.STREAM_CLOSED);
        assertThat(agent.session.openStreams()).isZero();
        assertStillServes(7);
    }

    @Test
    void dataForAStreamTheRelayNeverOpenedIsAnsweredWithStreamClosed() {
        relay = TunnelPeer.relay();

        relay.receive(FrameCodec.data(TunnelPeer.ALLOC, 9, Unpooled.copiedBuffer(new byte[] {1})));
        relay.receive(FrameCodec.headers(TunnelPeer.ALLOC, 10, StreamHeads.ok(), 1024));

        List<SentFrame> sent = relay.sent();
        assertThat(sent).hasSize(2);
        assertReset(sent.get(0), 9, ResetCode.STREAM_CLOSED);
        assertReset(sent.get(1), 10, ResetCode.STREAM_CLOSED);
        assertThat(relay.channel.isOpen()).isTrue();
    }

    @Test
    void framesInFlightForAStreamJustResetAreDroppedQuietly() {
        agent.receive(RawFrames.open(1, "GET", "/a"));
        agent.receive(FrameCodec.reset(TunnelPeer.ALLOC, 1, ResetCode.CANCEL, "kubectl went away"));

        agent.receive(FrameCodec.data(TunnelPeer.ALLOC, 1, Unpooled.copiedBuffer(new byte[] {1})));
        agent.receive(FrameCodec.control(TunnelPeer.ALLOC, FrameType.END, 1));

        assertThat(agent.sent()).isEmpty();
        assertThat(agent.session.openStreams()).isZero();
    }

    /** The session is still open and accepts a new stream with the given id. */
    private void assertStillServes(int nextId) {
        int before = agent.listener.opened.size();
        agent.receive(RawFrames.open(nextId, "GET", "/healthz"));
        assertThat(agent.channel.isOpen()).isTrue();
        assertThat(agent.listener.opened).hasSize(before + 1);
        assertThat(agent.listener.opened.get(before).stream().id()).isEqualTo(nextId);
        assertThat(agent.sent()).isEmpty();
    }

    static void assertReset(SentFrame frame, int streamId, ResetCode code) {
        assertThat(frame.type()).isEqualTo(FrameType.RESET);
        assertThat(frame.streamId()).isEqualTo(streamId);
        assertThat(frame.resetCode()).isEqualTo(code);
    }
}
