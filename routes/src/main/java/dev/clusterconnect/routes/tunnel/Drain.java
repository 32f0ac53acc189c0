package dev.clusterconnect.routes.tunnel;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The wait at the end of a stop, written once: look every {@link #TURN} whether what drains has
 * finished, until a deadline that runs from {@link #within}; whatever is left then is the
 * caller's to cut. The agent drains its tunnel with {@link #tunnel}; the relay drains a replica
 * with {@link #until}, taking one step of its drain on every turn.
 */
public final class Drain {

    /** Often enough that a stop ends soon after its last stream, rarely enough to cost nothing. */
    static final Duration TURN = Duration.ofMillis(50);

    /** Time as a drain sees it: the system's, or a test's that moves only when slept on. */
    interface Clock {
        long nanoTime();

        void sleep(Duration duration) throws InterruptedException;
    }

    private static final Clock SYSTEM = new Clock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            Thread.sleep(duration.toMillis()); // polling a shutdown deadline, not waiting for a test condition
        }
    };

    private final Clock clock;
    private final long until;

    private Drain(Clock clock, Duration deadline) {
        this.clock = clock;
        this.until = clock.nanoTime() + deadline.toNanos();
    }

    /** A drain whose deadline is {@code deadline} from now. */
    public static Drain within(Duration deadline) {
        return new Drain(SYSTEM, deadline);
    }

    static Drain within(Duration deadline, Clock clock) {
        return new Drain(clock, deadline);
    }

    /**
     * Waits until {@code done} holds or the deadline passes.
     *
     * @return true when done, false when the deadline passed first
     */
    public boolean until(BooleanSupplier done) throws InterruptedException {
        return until(done, () -> {});
    }

    /**
     * Waits until {@code done} holds or the deadline passes. {@code eachTurn} runs before each
     * wait, only while there is something left to wait for: the steps a drain takes as it goes
     * (telling more agents to move, say). {@code done} is asked once per turn.
     *
     * @return true when done, false when the deadline passed first
     */
    public boolean until(BooleanSupplier done, Runnable eachTurn) throws InterruptedException {
        boolean finished;
        while (!(finished = done.getAsBoolean()) && clock.nanoTime() < until) {
            eachTurn.run();
            clock.sleep(TURN);
        }
        return finished;
    }

    /**
     * Drains one tunnel: GOAWAY (the peer opens no new stream on it), the open streams get until
     * the deadline to finish, then the tunnel closes, resetting what is still open.
     *
     * @return the streams cut at the deadline; 0 when every one finished
     */
    public int tunnel(TunnelSession session, String reason) throws InterruptedException {
        session.goAway(reason);
        until(() -> session.openStreams() == 0);
        int cut = session.openStreams();
        session.close();
        return cut;
    }
}
