package dev.clusterconnect.routes.tunnel;

import static dev.clusterconnect.routes.tunnel.ProtocolErrorTest.assertReset;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Draining (docs/protocol.md, "Draining"). */
class GoAwayTest {

    @Test
    void afterGoAwayNewOpensAreRefusedAndOpenStreamsGoOn() {
        TunnelPeer agent = TunnelPeer.agent();
        agent.receive(RawFrames.open(1, "GET", "/api/v1/pods?watch=1"));
        assertThat(agent.session.isAcceptingStreams()).isTrue();

        agent.session.goAway("agent stopping");

        assertThat(agent.session.isAcceptingStreams()).isFalse();
        assertThat(agent.sent()).singleElement().satisfies(goAway -> {
            assertThat(goAway.type()).isEqualTo(FrameType.GOAWAY);
            assertThat(goAway.streamId()).isZero();
            assertThat(goAway.goAwayLastStreamId()).isEqualTo(1);
            assertThat(goAway.goAwayReason()).isEqualTo("agent stopping");
        });

        agent.receive(RawFrames.open(2, "GET", "/api/v1/nodes"));

        assertThat(agent.sent()).singleElement().satisfies(reset -> assertReset(reset, 2, ResetCode.REFUSED));
        assertThat(agent.listener.opened).hasSize(1);
        agent.receive(FrameCodec.data(TunnelPeer.ALLOC, 1, Unpooled.copiedBuffer("x", StandardCharsets.UTF_8)));
        assertThat(agent.listener.opened(0).body().text()).isEqualTo("x");
        assertThat(agent.session.openStreams()).isEqualTo(1);
        agent.closeCleanly();
    }

    @Test
    void goAwayIsSentOnlyOnce() {
        TunnelPeer agent = TunnelPeer.agent();

        agent.session.goAway("first");
        agent.session.goAway("second");

        assertThat(agent.sent()).extracting(SentFrame::goAwayReason).containsExactly("first");
        agent.closeCleanly();
    }

    @Test
    void theRelayOpensNoStreamAfterItsOwnGoAway() {
        TunnelPeer relay = TunnelPeer.relay();

        relay.session.goAway("relay stopping");

        assertThat(relay.session.isAcceptingStreams()).isFalse();
        assertThatThrownBy(() -> relay.session.open(StreamHeads.get("/api"), new RecordingStreamListener()))
                .isInstanceOfSatisfying(
                        StreamRefusedException.class,
                        refused -> assertThat(refused.isTooLarge()).isFalse());
        relay.closeCleanly();
    }

    @Test
    void receivingGoAwayTellsTheListenerStopsNewStreamsAndLetsOpenOnesComplete() throws Exception {
        TunnelStream[] agentSide = new TunnelStream[1];
        TunnelPair pair = new TunnelPair(new RecordingSessionListener().whenOpened((stream, head) -> {
            agentSide[0] = stream;
            stream.respond(StreamHeads.ok());
        }));
        RecordingStreamListener listener = new RecordingStreamListener();
        pair.relay
                .session
                .open(StreamHeads.get("/api/v1/pods"), listener)
                .outbound()
                .end();
        pair.pump();

        pair.agent.session.goAway("agent draining");
        pair.pump();

        assertThat(pair.relay.listener.goAways).containsExactly("agent draining");
        assertThat(pair.relay.session.isAcceptingStreams()).isFalse();
        assertThatThrownBy(() -> pair.relay.session.open(StreamHeads.get("/api"), new RecordingStreamListener()))
                .isInstanceOf(StreamRefusedException.class);

        agentSide[0].pipeFrom(new ScriptedSource("[]".getBytes(StandardCharsets.UTF_8), 100));
        pair.pump();

        assertThat(listener.body.text()).isEqualTo("[]");
        assertThat(listener.body.isEnded()).isTrue();
        assertThat(pair.relay.session.openStreams()).isZero();
        assertThat(pair.agent.session.openStreams()).isZero();
        pair.closeCleanly();
    }
}
