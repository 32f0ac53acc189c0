package dev.clusterconnect.routes.tunnel;

import static dev.clusterconnect.routes.tunnel.ProtocolErrorTest.assertReset;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.clusterconnect.routes.http.RequestHead;
import dev.clusterconnect.routes.http.ResponseHead;
import dev.clusterconnect.routes.stream.ByteSource;
import org.junit.jupiter.api.Test;

/** How streams open, end, reset and die with their connection (docs/protocol.md, "A stream's life"). */
class StreamLifecycleTest {

    @Test
    void endInBothDirectionsClosesTheStreamOnBothSides() throws Exception {
        byte[] request = ScriptedSource.pattern(40_000, 4);
        byte[] response = ScriptedSource.pattern(50_000, 5);
        TunnelPair pair = new TunnelPair(new RecordingSessionListener().whenOpened((stream, head) -> {
            stream.respond(StreamHeads.ok());
            stream.pipeFrom(new ScriptedSource(response, 2000));
        }));
        RecordingStreamListener listener = new RecordingStreamListener();
        TunnelStream stream = pair.relay.session.open(StreamHeads.post("/api/v1/namespaces/a/configmaps"), listener);
        stream.pipeFrom(new ScriptedSource(request, 2000));
        assertThat(pair.relay.session.openStreams()).isEqualTo(1);

        pair.pump();

        RecordingSessionListener.Opened opened = pair.agent.listener.opened(0);
        assertThat(opened.head().method()).isEqualTo("POST");
        assertThat(opened.head().headers().get("Content-Type")).isEqualTo("application/json");
        assertThat(opened.body().bytes()).isEqualTo(request);
        assertThat(opened.body().isEnded()).isTrue();
        assertThat(listener.responses).extracting(ResponseHead::status).containsExactly(200);
        assertThat(listener.body.bytes()).isEqualTo(response);
        assertThat(listener.body.isEnded()).isTrue();
        assertThat(listener.resets).isEmpty();
        assertThat(pair.relay.session.openStreams()).isZero();
        assertThat(pair.agent.session.openStreams()).isZero();
        pair.closeCleanly();
    }

    @Test
    void aStreamStaysOpenUntilBothSidesHaveEnded() throws Exception {
        TunnelStream[] agentSide = new TunnelStream[1];
        TunnelPair pair = new TunnelPair(new RecordingSessionListener().whenOpened((stream, head) -> {
            agentSide[0] = stream;
            stream.respond(StreamHeads.ok());
        }));
        RecordingStreamListener listener = new RecordingStreamListener();
        pair.relay
                .session
                .open(StreamHeads.get("/api/v1/pods?watch=1"), listener)
                .pipeFrom(ByteSource.EMPTY);

        pair.pump();

        assertThat(pair.agent.listener.opened(0).body().isEnded()).isTrue();
        assertThat(listener.responses).hasSize(1);
        assertThat(pair.relay.session.openStreams())
                .as("the watch is still streaming")
                .isEqualTo(1);
        assertThat(pair.agent.session.openStreams()).isEqualTo(1);

        agentSide[0].outbound().end();
        pair.pump();

        assertThat(listener.body.isEnded()).isTrue();
        assertThat(pair.relay.session.openStreams()).isZero();
        assertThat(pair.agent.session.openStreams()).isZero();
        pair.closeCleanly();
    }

    @Test
    void aResetFromTheRelayRemovesTheStreamAndCancelsTheSourcePipedIntoIt() throws Exception {
        ScriptedSource watch = new ScriptedSource(ScriptedSource.pattern(1024 * 1024, 6), 1000);
        TunnelPair pair = new TunnelPair(new RecordingSessionListener().whenOpened((stream, head) -> {
            stream.respond(StreamHeads.ok());
            stream.pipeFrom(watch);
        }));
        RecordingStreamListener listener = new RecordingStreamListener(CollectingSink.stalled());
        TunnelStream stream = pair.relay.session.open(StreamHeads.get("/api/v1/pods?watch=1"), listener);
        pair.pump();
        assertThat(watch.pauses()).as("the watch filled its window").isPositive();

        stream.reset(ResetCode.CANCEL, "kubectl went away");
        pair.pump();

        assertThat(watch.isCancelled()).isTrue();
        assertThat(pair.agent.listener.opened(0).stream().isReset()).isTrue();
        assertThat(pair.agent.listener.opened(0).body().isAborted()).isTrue();
        assertThat(listener.resets)
                .extracting(RecordingStreamListener.Reset::code)
                .containsExactly(ResetCode.CANCEL);
        assertThat(listener.body.isAborted()).isTrue();
        assertThat(pair.relay.session.openStreams()).isZero();
        assertThat(pair.agent.session.openStreams()).isZero();
        pair.closeCleanly();
    }

    @Test
    void aResetFromTheAgentCancelsTheRequestBodyBeingSentAndTellsTheStreamListener() throws Exception {
        TunnelStream[] agentSide = new TunnelStream[1];
        TunnelPair pair = new TunnelPair(new RecordingSessionListener()
                .stallRequestBodies(head -> true)
                .whenOpened((stream, head) -> agentSide[0] = stream));
        RecordingStreamListener listener = new RecordingStreamListener();
        ScriptedSource upload = new ScriptedSource(ScriptedSource.pattern(1024 * 1024, 8), 1000);
        pair.relay
                .session
                .open(StreamHeads.post("/api/v1/namespaces/a/secrets"), listener)
                .pipeFrom(upload);
        pair.pump();

        agentSide[0].reset(ResetCode.UPSTREAM, "apiserver connection refused");
        pair.pump();

        assertThat(upload.isCancelled()).isTrue();
        assertThat(listener.resets).singleElement().satisfies(reset -> {
            assertThat(reset.code()).isEqualTo(ResetCode.UPSTREAM);
            assertThat(reset.reason()).contains("apiserver connection refused");
        });
        assertThat(pair.relay.session.openStreams()).isZero();
        assertThat(pair.agent.session.openStreams()).isZero();
        pair.closeCleanly();
    }

    @Test
    void closingTheChannelResetsEveryStreamAndReportsTheSessionClosed() throws Exception {
        ScriptedSource[] responses = new ScriptedSource[2];
        TunnelPair pair = new TunnelPair(new RecordingSessionListener().whenOpened((stream, head) -> {
            stream.respond(StreamHeads.ok());
            ScriptedSource body = new ScriptedSource(ScriptedSource.pattern(1024 * 1024, stream.id()), 1000);
            responses[stream.id() - 1] = body;
            stream.pipeFrom(body);
        }));
        RecordingStreamListener first = new RecordingStreamListener(CollectingSink.stalled());
        RecordingStreamListener second = new RecordingStreamListener(CollectingSink.stalled());
        pair.relay.session.open(StreamHeads.get("/api/v1/pods?watch=1"), first);
        pair.relay.session.open(StreamHeads.get("/api/v1/events?watch=1"), second);
        pair.pump();
        assertThat(pair.agent.session.openStreams()).isEqualTo(2);

        pair.relay.channel.close();
        pair.agent.channel.close();

        for (RecordingStreamListener listener : new RecordingStreamListener[] {first, second}) {
            assertThat(listener.resets)
                    .extracting(RecordingStreamListener.Reset::code)
                    .containsExactly(ResetCode.CANCEL);
            assertThat(listener.body.isAborted()).isTrue();
        }
        assertThat(responses)
                .allSatisfy(source -> assertThat(source.isCancelled()).isTrue());
        assertThat(pair.agent.listener.opened)
                .allSatisfy(opened -> assertThat(opened.body().isAborted()).isTrue());
        for (TunnelPeer peer : new TunnelPeer[] {pair.relay, pair.agent}) {
            assertThat(peer.listener.closed).isEqualTo(1);
            assertThat(peer.session.openStreams()).isZero();
            assertThat(peer.session.isClosed()).isTrue();
            assertThat(peer.session.isAcceptingStreams()).isFalse();
        }
        assertThatThrownBy(() -> pair.relay.session.open(StreamHeads.get("/api"), new RecordingStreamListener()))
                .isInstanceOfSatisfying(
                        StreamRefusedException.class,
                        refused -> assertThat(refused.isTooLarge()).isFalse());
        pair.closeCleanly();
    }

    @Test
    void aRequestHeadOverMaxHeaderBytesIsRefusedBeforeAnythingIsSent() throws Exception {
        TunnelPeer relay = TunnelPeer.relay();
        RequestHead tooLarge =
                new RequestHead("GET", "/api/v1/pods", StreamHeads.headersOf(TunnelPeer.SETTINGS.maxHeaderBytes()));

        assertThatThrownBy(() -> relay.session.open(tooLarge, new RecordingStreamListener()))
                .isInstanceOfSatisfying(
                        StreamRefusedException.class,
                        refused -> assertThat(refused.isTooLarge()).isTrue());

        assertThat(relay.sent()).isEmpty();
        assertThat(relay.session.openStreams()).isZero();
        TunnelStream next = relay.session.open(StreamHeads.get("/api/v1/pods"), new RecordingStreamListener());
        assertThat(next.id()).as("the refused head used no stream id").isEqualTo(1);
        relay.closeCleanly();
    }

    @Test
    void aResponseHeadOverMaxHeaderBytesResetsTheStreamWithTooLarge() {
        TunnelPeer agent = TunnelPeer.agent();
        agent.receive(RawFrames.open(1, "GET", "/api/v1/pods"));
        TunnelStream stream = agent.listener.opened(0).stream();

        boolean sent =
                stream.respond(new ResponseHead(200, StreamHeads.headersOf(TunnelPeer.SETTINGS.maxHeaderBytes())));

        assertThat(sent).isFalse();
        assertThat(agent.sent()).singleElement().satisfies(reset -> assertReset(reset, 1, ResetCode.TOO_LARGE));
        assertThat(stream.isReset()).isTrue();
        assertThat(agent.session.openStreams()).isZero();
        agent.closeCleanly();
    }

    @Test
    void theRelayNumbersStreamsUpwardFromOne() throws Exception {
        TunnelPeer relay = TunnelPeer.relay();

        for (int i = 0; i < 3; i++) {
            relay.session.open(StreamHeads.get("/api/v1/namespaces"), new RecordingStreamListener());
        }

        assertThat(relay.sent())
                .extracting(SentFrame::type, SentFrame::streamId)
                .containsExactly(tuple(FrameType.OPEN, 1), tuple(FrameType.OPEN, 2), tuple(FrameType.OPEN, 3));
        relay.closeCleanly();
    }
}
