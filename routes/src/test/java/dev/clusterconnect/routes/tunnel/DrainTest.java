package dev.clusterconnect.routes.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clusterconnect.routes.stream.ByteSource;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The one wait at the end of a stop, on a clock that moves only when the drain sleeps. */
class DrainTest {

    private static final Duration DEADLINE = Duration.ofSeconds(5);

    /** Starts at an arbitrary point, as System.nanoTime does; each sleep moves it and runs a hook. */
    private static final class TestClock implements Drain.Clock {
        final long start = 1_000_000_000L;
        long now = start;
        int sleeps;
        Runnable onSleep = () -> {};

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleep(Duration duration) {
            now += duration.toNanos();
            sleeps++;
            onSleep.run();
        }

        Duration elapsed() {
            return Duration.ofNanos(now - start);
        }
    }

    @Test
    void streamsThatFinishBeforeTheDeadlineEndTheWaitAsTheLastOneFinishes() throws Exception {
        TestClock clock = new TestClock();
        AtomicInteger open = new AtomicInteger(3);
        clock.onSleep = open::decrementAndGet;

        boolean done = Drain.within(DEADLINE, clock).until(() -> open.get() == 0);

        assertThat(done).isTrue();
        assertThat(clock.sleeps).isEqualTo(3);
        assertThat(clock.elapsed()).isEqualTo(Drain.TURN.multipliedBy(3));
    }

    @Test
    void aStreamThatNeverFinishesIsWaitedForUntilTheDeadlineAndNoLonger() throws Exception {
        TestClock clock = new TestClock();

        boolean done = Drain.within(DEADLINE, clock).until(() -> false);

        assertThat(done).isFalse();
        assertThat(clock.elapsed()).isGreaterThanOrEqualTo(DEADLINE).isLessThan(DEADLINE.plus(Drain.TURN));
    }

    @Test
    void withNoStreamsThereIsNoWaitAtAll() throws Exception {
        TestClock clock = new TestClock();
        AtomicInteger turns = new AtomicInteger();

        boolean done = Drain.within(DEADLINE, clock).until(() -> true, turns::incrementAndGet);

        assertThat(done).isTrue();
        assertThat(clock.sleeps).isZero();
        assertThat(turns).hasValue(0);
    }

    @Test
    void eachTurnRunsOnceBeforeEveryWaitAndTheConditionOnceAfterIt() throws Exception {
        TestClock clock = new TestClock();
        AtomicInteger open = new AtomicInteger(2);
        AtomicInteger turns = new AtomicInteger();
        AtomicInteger asked = new AtomicInteger();
        clock.onSleep = open::decrementAndGet;

        Drain.within(DEADLINE, clock)
                .until(() -> asked.incrementAndGet() > 0 && open.get() == 0, turns::incrementAndGet);

        assertThat(turns).hasValue(2);
        assertThat(asked)
                .as("the relay's condition reads its registries: once a turn, no more")
                .hasValue(3);
    }

    @Test
    void aTunnelWithNoStreamsIsToldToGoAwayAndClosedAtOnce() throws Exception {
        TunnelPeer agent = TunnelPeer.agent();
        TestClock clock = new TestClock();

        int cut = Drain.within(DEADLINE, clock).tunnel(agent.session, "agent is shutting down");

        assertThat(cut).isZero();
        assertThat(clock.sleeps).isZero();
        assertThat(agent.sent()).extracting(SentFrame::goAwayReason).containsExactly("agent is shutting down");
        assertThat(agent.session.isClosed()).isTrue();
        agent.closeCleanly();
    }

    @Test
    void aTunnelStreamThatFinishesBeforeTheDeadlineIsNotCut() throws Exception {
        TunnelStream[] agentSide = new TunnelStream[1];
        TunnelPair pair = new TunnelPair(new RecordingSessionListener().whenOpened((stream, head) -> {
            agentSide[0] = stream;
            stream.respond(StreamHeads.ok());
        }));
        RecordingStreamListener watch = new RecordingStreamListener();
        pair.relay.session.open(StreamHeads.get("/api/v1/pods?watch=1"), watch).pipeFrom(ByteSource.EMPTY);
        pair.pump();
        assertThat(pair.agent.session.openStreams()).isEqualTo(1);
        TestClock clock = new TestClock();
        clock.onSleep = () -> {
            if (clock.sleeps == 2) {
                agentSide[0].outbound().end();
            }
            pair.pump();
        };

        int cut = Drain.within(DEADLINE, clock).tunnel(pair.agent.session, "agent is shutting down");

        assertThat(cut).isZero();
        assertThat(clock.sleeps).isEqualTo(2);
        assertThat(pair.relay.listener.goAways).containsExactly("agent is shutting down");
        assertThat(watch.body.isEnded()).isTrue();
        assertThat(watch.resets).isEmpty();
        assertThat(pair.agent.session.isClosed()).isTrue();
        pair.closeCleanly();
    }

    @Test
    void aTunnelStreamThatNeverFinishesIsCutAtTheDeadline() throws Exception {
        TunnelPeer agent = TunnelPeer.agent();
        agent.receive(RawFrames.open(1, "GET", "/api/v1/pods?watch=1"));
        assertThat(agent.session.openStreams()).isEqualTo(1);
        TestClock clock = new TestClock();

        int cut = Drain.within(DEADLINE, clock).tunnel(agent.session, "agent is shutting down");

        assertThat(cut).isEqualTo(1);
        assertThat(clock.elapsed()).isGreaterThanOrEqualTo(DEADLINE).isLessThan(DEADLINE.plus(Drain.TURN));
        assertThat(agent.session.isClosed()).isTrue();
        assertThat(agent.session.openStreams()).isZero();
        agent.closeCleanly();
    }
}
