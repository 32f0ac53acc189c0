package dev.clusterconnect.routes.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import reactor.blockhound.BlockHound;
import reactor.blockhound.BlockingOperationError;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * BlockHound's rules for our tests (found by ServiceLoader when blockhound-junit-platform installs
 * it; Netty's own integration marks its event-loop threads). A blocking call on an event loop is
 * recorded here, so {@link NoBlockingOnEventLoops} fails the test even when the error is swallowed
 * on the loop, and thrown, so the blocking call does not happen.
 */
public final class EventLoopBlockingCalls implements BlockHoundIntegration {

    private static final List<String> CALLS = new CopyOnWriteArrayList<>();

    @Override
    public void applyTo(BlockHound.Builder builder) {
        // SecureRandom's bytes (the agent signs its tunnel JWT on its loop when it redials; the
        // sandbox names objects with random UUIDs) come from /dev/urandom, which never blocks on
        // Linux: the JDK's NativePRNG refills its buffer from it now and then.
        builder.allowBlockingCallsInside("sun.security.provider.NativePRNG$RandomIO", "implNextBytes");
        builder.allowBlockingCallsInside("java.util.UUID", "randomUUID");
        // Handing a task to a worker pool: the queue's lock is held for the enqueue alone (its
        // consumer waits without it), so a park there is a moment's contention, not a wait for
        // I/O. Reactor's own BlockHound integration allows the same.
        builder.allowBlockingCallsInside("java.util.concurrent.ScheduledThreadPoolExecutor$DelayedWorkQueue", "offer");
        builder.allowBlockingCallsInside("java.util.concurrent.LinkedBlockingQueue", "offer");
        // Vert.x's worker pools (the fabric8 client's HTTP transport) are where Vert.x sends
        // blocking work; their threads are Netty's FastThreadLocalThreads, which Netty's rules
        // take for event loops.
        builder.nonBlockingThreadPredicate(
                current -> current.and(thread -> !thread.getName().startsWith("vert.x-internal-blocking-")
                        && !thread.getName().startsWith("vert.x-worker-thread-")));
        builder.blockingMethodCallback(method -> {
            BlockingOperationError error = new BlockingOperationError(method);
            CALLS.add(Thread.currentThread().getName() + ": " + method + " at " + firstOfOurs(error));
            throw error;
        });
    }

    /** @return the calls recorded since the last drain, and forgets them */
    static List<String> drain() {
        List<String> calls = List.copyOf(CALLS);
        CALLS.removeAll(calls);
        return calls;
    }

    private static String firstOfOurs(Throwable error) {
        for (StackTraceElement frame : error.getStackTrace()) {
            String type = frame.getClassName();
            if (type.startsWith("dev.clusterconnect.")
                    && !type.startsWith(EventLoopBlockingCalls.class.getPackageName())) {
                return frame.toString();
            }
        }
        return "(no frame of ours)";
    }
}
