package dev.clusterconnect.relay.access;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The few threads that ask the store for access decisions, so no event loop waits for JDBC.
 * Bounded twice: {@link #THREADS} threads (the store's pool has 10 connections, shared with the
 * API and the agents' routes) and {@link #MAX_WAITING} queued tasks; past that a request is
 * refused rather than queued for longer than a client would wait. Daemon threads: they never
 * hold the JVM open.
 */
public final class DecisionThreads implements AutoCloseable {

    /** Thread names start with this. */
    public static final String NAME = "relay-access-";

    static final int THREADS = 4;
    static final int MAX_WAITING = 1_000;

    private final ScheduledThreadPoolExecutor executor;

    public DecisionThreads() {
        AtomicInteger count = new AtomicInteger();
        executor = new ScheduledThreadPoolExecutor(THREADS, task -> {
            Thread thread = new Thread(task, NAME + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
    }

    /** Runs the task after the delay (0: now) on one of these threads. */
    void run(Runnable task, long delayMillis) {
        // A scheduled pool's queue is unbounded: bound it here.
        if (executor.getQueue().size() >= MAX_WAITING) {
            throw new RejectedExecutionException("too many access decisions waiting for the store");
        }
        executor.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
