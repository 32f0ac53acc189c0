package dev.clusterconnect.routes.tunnel;

import static dev.clusterconnect.routes.tunnel.ProtocolErrorTest.assertReset;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Per-stream credit (docs/protocol.md, "Flow control"), with the test settings' 16 KiB window. */
class FlowControlTest {

    private static final int WINDOW = TunnelPeer.SETTINGS.initialWindow();
    private static final int MAX_DATA = TunnelPeer.SETTINGS.maxDataBytes();

    @Test
    void dataBeyondTheWindowResetsThatStreamWithFlowControlAndTheSessionGoesOn() {
        TunnelPeer agent = TunnelPeer.agent(new RecordingSessionListener().stallRequestBodies(head -> true));
        agent.receive(RawFrames.open(1, "POST", "/a"));
        agent.receive(RawFrames.open(2, "POST", "/b"));
        for (int sent = 0; sent < WINDOW; sent += MAX_DATA) {
            agent.receive(FrameCodec.data(TunnelPeer.ALLOC, 1, Unpooled.wrappedBuffer(new byte[MAX_DATA])));
        }
        assertThat(agent.sent()).as("a full window is allowed").isEmpty();

        agent.receive(FrameCodec.data(TunnelPeer.ALLOC, 1, Unpooled.wrappedBuffer(new byte[1])));

        assertThat(agent.sent()).singleElement().satisfies(reset -> assertReset(reset, 1, ResetCode.FLOW_CONTROL));
        assertThat(agent.listener.opened(0).body().isAborted()).isTrue();
        assertThat(agent.listener.opened(0).body().size()).isEqualTo(WINDOW);
        assertThat(agent.session.openStreams()).isEqualTo(1);

        agent.receive(
                FrameCodec.data(TunnelPeer.ALLOC, 2, Unpooled.copiedBuffer("still here", StandardCharsets.UTF_8)));
        agent.receive(FrameCodec.control(TunnelPeer.ALLOC, FrameType.END, 2));
        assertThat(agent.listener.opened(1).body().text()).isEqualTo("still here");
        assertThat(agent.listener.opened(1).body().isEnded()).isTrue();
        assertThat(agent.channel.isOpen()).isTrue();
        agent.closeCleanly();
    }

    @Test
    void aSenderStopsAtTheWindowAndResumesWithEachWindowFrame() throws Exception {
        var waits = dev.clusterconnect.routes.metrics.Metrics.REGISTRY.timer("clusterconnect_flow_control_wait");
        long waitsBefore = waits.count();
        TunnelPeer relay = TunnelPeer.relay();
        byte[] body = ScriptedSource.pattern(3 * WINDOW + 123, 7);
        ScriptedSource source = new ScriptedSource(body, 1000);
        TunnelStream stream = relay.session.open(StreamHeads.post("/api/v1/configmaps"), new RecordingStreamListener());
        stream.pipeFrom(source);
        ByteArrayOutputStream received = new ByteArrayOutputStream();

        List<SentFrame> first = relay.sent();
        assertThat(first.get(0).type()).isEqualTo(FrameType.OPEN);
        assertThat(dataBytes(first.subList(1, first.size()), received)).isEqualTo(WINDOW);
        assertThat(first.subList(1, first.size()))
                .allSatisfy(data -> assertThat(data.payload().length).isLessThanOrEqualTo(MAX_DATA));
        assertThat(source.pauses())
                .as("the source was paused, not buffered without bound")
                .isEqualTo(1);
        assertThat(source.written()).isLessThan(WINDOW + 1000 + 1);
        assertThat(relay.sent()).as("nothing more without credit").isEmpty();

        relay.receive(FrameCodec.window(TunnelPeer.ALLOC, 1, 5000));
        assertThat(dataBytes(relay.sent(), received)).isEqualTo(5000);

        relay.receive(FrameCodec.window(TunnelPeer.ALLOC, 1, 1));
        assertThat(dataBytes(relay.sent(), received)).isEqualTo(1);

        boolean endSent = false;
        for (int grants = 0; grants < 10 && !endSent; grants++) {
            relay.receive(FrameCodec.window(TunnelPeer.ALLOC, 1, WINDOW));
            List<SentFrame> frames = relay.sent();
            assertThat(dataBytes(frames, received)).isLessThanOrEqualTo(WINDOW);
            endSent = frames.stream().anyMatch(frame -> frame.type() == FrameType.END);
        }
        assertThat(endSent).isTrue();
        assertThat(received.toByteArray()).as("complete and in order").isEqualTo(body);
        assertThat(source.isFinished()).isTrue();
        assertThat(waits.count()).as("the waits for credit are measured").isGreaterThan(waitsBefore);
        relay.closeCleanly();
    }

    @Test
    void aBodyLargerThanManyWindowsArrivesCompleteAndInOrderWithNeverMoreThanAWindowInFlight() throws Exception {
        TunnelPair pair = new TunnelPair(new RecordingSessionListener());
        byte[] body = ScriptedSource.pattern(1024 * 1024 + 17, 1);
        TunnelStream stream = pair.relay.session.open(
                StreamHeads.post("/api/v1/namespaces/a/configmaps"), new RecordingStreamListener());
        stream.pipeFrom(new ScriptedSource(body, 3000));
        // [0]: DATA bytes sent and not yet credited back; [1]: the most there ever were
        long[] inFlight = {0, 0};

        pair.pumpWatching(frame -> {
            if (frame.type() == FrameType.DATA) {
                inFlight[0] += frame.payload().length;
                inFlight[1] = Math.max(inFlight[1], inFlight[0]);
            } else if (frame.type() == FrameType.WINDOW) {
                inFlight[0] -= frame.windowIncrement();
            }
        });

        CollectingSink received = pair.agent.listener.opened(0).body();
        assertThat(received.bytes()).isEqualTo(body);
        assertThat(received.isEnded()).isTrue();
        assertThat(inFlight[1]).isPositive().isLessThanOrEqualTo(WINDOW);
        pair.closeCleanly();
    }

    @Test
    void aStalledConsumerOnOneStreamDoesNotStopAnother() throws Exception {
        TunnelPair pair = new TunnelPair(new RecordingSessionListener()
                .stallRequestBodies(head -> head.target().equals("/stalled")));
        byte[] stalledBody = ScriptedSource.pattern(4 * WINDOW, 2);
        byte[] flowingBody = ScriptedSource.pattern(8 * WINDOW, 3);
        ScriptedSource stalledSource = new ScriptedSource(stalledBody, 1500);
        ScriptedSource flowingSource = new ScriptedSource(flowingBody, 1500);
        pair.relay
                .session
                .open(StreamHeads.post("/stalled"), new RecordingStreamListener())
                .pipeFrom(stalledSource);
        pair.relay
                .session
                .open(StreamHeads.post("/flowing"), new RecordingStreamListener())
                .pipeFrom(flowingSource);

        pair.pump();

        CollectingSink stalled = pair.agent.listener.opened(0).body();
        CollectingSink flowing = pair.agent.listener.opened(1).body();
        assertThat(flowing.bytes()).isEqualTo(flowingBody);
        assertThat(flowing.isEnded()).isTrue();
        assertThat(stalled.size())
                .as("the agent holds at most one window of the stalled stream")
                .isEqualTo(WINDOW);
        assertThat(stalled.isEnded()).isFalse();
        assertThat(stalledSource.isFinished())
                .as("the stalled stream's source is paused")
                .isFalse();
        assertThat(pair.agent.channel.isOpen()).isTrue();

        stalled.unstall();
        pair.pump();

        assertThat(stalled.bytes()).isEqualTo(stalledBody);
        assertThat(stalled.isEnded()).isTrue();
        pair.closeCleanly();
    }

    /** Appends the DATA payloads of {@code frames} to {@code into}; returns their total length. */
    private static int dataBytes(List<SentFrame> frames, ByteArrayOutputStream into) {
        int total = 0;
        for (SentFrame frame : frames) {
            if (frame.type() == FrameType.DATA) {
                into.writeBytes(frame.payload());
                total += frame.payload().length;
            }
        }
        return total;
    }
}
