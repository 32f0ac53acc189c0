package dev.clusterconnect.e2e;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Requests done and failed per kind, since the last sample and in all, plus the first failures'
 * messages: a soak that fails should say what failed, not only how often.
 */
final class SoakCounts {

    static final List<String> KINDS = List.of("get", "list", "large-list", "watch", "exec", "port-forward");
    private static final int FAILURES_KEPT = 20;

    private final Map<String, AtomicLong[]> interval = new LinkedHashMap<>();
    private final Map<String, AtomicLong[]> total = new LinkedHashMap<>();
    private final List<String> failures = new ArrayList<>();
    /** How many of {@link #failures} were already handed out by {@link #newFailures}. */
    private int reported;

    SoakCounts() {
        for (String kind : KINDS) {
            interval.put(kind, new AtomicLong[] {new AtomicLong(), new AtomicLong()});
            total.put(kind, new AtomicLong[] {new AtomicLong(), new AtomicLong()});
        }
    }

    void done(String kind) {
        interval.get(kind)[0].incrementAndGet();
        total.get(kind)[0].incrementAndGet();
    }

    void failed(String kind, Throwable why) {
        interval.get(kind)[1].incrementAndGet();
        total.get(kind)[1].incrementAndGet();
        synchronized (failures) {
            if (failures.size() < FAILURES_KEPT) {
                failures.add(kind + ": " + why);
            }
        }
    }

    /** Done and failed per kind since the last call: kind -> {done, failed}. */
    Map<String, long[]> takeInterval() {
        Map<String, long[]> taken = new LinkedHashMap<>();
        interval.forEach((kind, counts) ->
                taken.put(kind, new long[] {counts[0].getAndSet(0), counts[1].getAndSet(0)}));
        return taken;
    }

    /** Done and failed per kind over the whole run: kind -> {done, failed}. */
    Map<String, long[]> totals() {
        Map<String, long[]> copy = new LinkedHashMap<>();
        total.forEach((kind, counts) -> copy.put(kind, new long[] {counts[0].get(), counts[1].get()}));
        return copy;
    }

    long failedInAll() {
        return totals().values().stream().mapToLong(counts -> counts[1]).sum();
    }

    /** The kept failures not handed out before: printed under the sample row they fell in. */
    List<String> newFailures() {
        synchronized (failures) {
            List<String> fresh = List.copyOf(failures.subList(reported, failures.size()));
            reported = failures.size();
            return fresh;
        }
    }

    List<String> failures() {
        synchronized (failures) {
            return List.copyOf(failures);
        }
    }
}
