package dev.clusterconnect.routes.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Liveness (docs/protocol.md, "Liveness"): a PING every interval, the connection closed after silence. */
class HeartbeatTest {

    private static final Duration INTERVAL = TunnelPeer.SETTINGS.heartbeatInterval();
    private static final Duration SECOND = Duration.ofSeconds(1);
    // Heartbeat measures silence on System.nanoTime() while its ticks run on the channel's clock,
    // so the timeout tests use a short real timeout: advanceTimeBy drives the ticks, Awaitility
    // waits for the real time to pass.
    private static final TunnelSettings SHORT =
            TunnelPeer.SETTINGS.withHeartbeat(Duration.ofMillis(50), Duration.ofMillis(400));

    private final TunnelPeer agent = TunnelPeer.agent();

    @AfterEach
    void shutsDownCleanly() {
        agent.closeCleanly();
    }

    @Test
    void sendsAPingEveryInterval() {
        agent.advance(INTERVAL.minus(SECOND));
        assertThat(agent.sent()).isEmpty();

        for (int i = 0; i < 10; i++) {
            agent.advance(i == 0 ? SECOND : INTERVAL);
            List<SentFrame> sent = agent.sent();
            assertThat(sent).as("interval %d", i).singleElement().satisfies(ping -> {
                assertThat(ping.type()).isEqualTo(FrameType.PING);
                assertThat(ping.streamId()).isZero();
                assertThat(ping.payload()).hasSize(8);
            });
            agent.receive(FrameCodec.ping(
                    TunnelPeer.ALLOC, FrameType.PONG, sent.get(0).opaque()));
        }

        assertThat(agent.channel.isOpen()).as("a peer that answers is alive").isTrue();
    }

    @Test
    void answersAPingWithAPongCarryingTheSameEightBytes() {
        agent.receive(FrameCodec.ping(TunnelPeer.ALLOC, FrameType.PING, 0x1122334455667788L));

        assertThat(agent.sent()).singleElement().satisfies(pong -> {
            assertThat(pong.type()).isEqualTo(FrameType.PONG);
            assertThat(pong.streamId()).isZero();
            assertThat(pong.payload()).containsExactly(0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88);
        });
    }

    @Test
    void aPingWithoutEightBytesIsNotAnswered() {
        agent.receive(RawFrames.frame(FrameType.PING.code, 0, (byte) 1, (byte) 2));

        assertThat(agent.sent()).isEmpty();
        assertThat(agent.channel.isOpen()).isTrue();
    }

    @Test
    void silenceBeyondTheTimeoutClosesTheConnectionAndFailsItsStreams() {
        TunnelPeer quiet = TunnelPeer.agent(SHORT);
        quiet.receive(RawFrames.open(1, "GET", "/api/v1/pods?watch=1"));
        quiet.advance(SHORT.heartbeatInterval());
        assertThat(quiet.channel.isOpen()).as("within the timeout").isTrue();

        await().pollInSameThread()
                .atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    quiet.advance(SHORT.heartbeatInterval());
                    return !quiet.channel.isOpen();
                });

        assertThat(quiet.sent()).extracting(SentFrame::type).containsOnly(FrameType.PING);
        assertThat(quiet.listener.closed).isEqualTo(1);
        assertThat(quiet.listener.opened(0).body().isAborted()).isTrue();
        assertThat(quiet.session.openStreams()).isZero();
        quiet.closeCleanly();
    }

    @Test
    void anyFrameReceivedCountsAsLife() {
        TunnelPeer talking = TunnelPeer.agent(SHORT);
        talking.receive(RawFrames.open(1, "GET", "/api/v1/pods?watch=1"));

        await().pollInSameThread()
                .during(SHORT.heartbeatTimeout().multipliedBy(2))
                .atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    // a quiet watch's credit, not a PONG: anything the peer sends shows it is there
                    talking.receive(FrameCodec.window(TunnelPeer.ALLOC, 1, 1));
                    talking.advance(SHORT.heartbeatInterval());
                    return talking.channel.isOpen();
                });

        assertThat(talking.sent()).extracting(SentFrame::type).containsOnly(FrameType.PING);
        talking.closeCleanly();
    }
}
