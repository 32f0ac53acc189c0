package dev.clusterconnect.sandbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Keeps every request the sandbox received, for tests to assert on. */
public final class RequestRecorder {

    private final List<RecordedRequest> requests = new ArrayList<>();

    /** Adds a request and wakes those waiting for one. */
    public synchronized void record(RecordedRequest request) {
        requests.add(request);
        notifyAll();
    }

    /** A copy of the requests received so far, oldest first. */
    public synchronized List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** Forgets all requests. */
    public synchronized void clear() {
        requests.clear();
    }

    /**
     * The first request, already received or still to come, that matches; waits up to {@code timeout}.
     *
     * @throws IllegalStateException when none arrives in time, listing what did
     */
    public synchronized RecordedRequest await(Predicate<RecordedRequest> matching, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int checked = 0;
        while (true) {
            for (; checked < requests.size(); checked++) {
                if (matching.test(requests.get(checked))) {
                    return requests.get(checked);
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IllegalStateException("no matching request within " + timeout + "; received " + requests);
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a request", e);
            }
            checked = Math.min(checked, requests.size());
        }
    }
}
