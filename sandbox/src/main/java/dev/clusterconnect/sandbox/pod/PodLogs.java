package dev.clusterconnect.sandbox.pod;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** The output of every pod's container: appended lines, and followers told of each new one. */
public final class PodLogs {

    /** Lines kept per pod; older ones are dropped, as the kubelet rotates logs. */
    static final int MAX_LINES = 10_000;

    private final Map<String, PodLog> logs = new ConcurrentHashMap<>();

    /**
     * One line of output.
     *
     * @param time when the line was written
     * @param text the line, without a line break
     */
    public record Line(Instant time, String text) {}

    /** Appends a line to a pod's log and hands it to the pod's followers. */
    public void append(String namespace, String pod, String text) {
        log(namespace, pod).append(new Line(Instant.now(), text));
    }

    /** The lines logged so far. */
    public List<Line> lines(String namespace, String pod) {
        return log(namespace, pod).snapshot();
    }

    /**
     * Atomically takes the lines logged so far and subscribes to later ones.
     *
     * @param past receives the existing lines, before any later one
     * @param follower receives each later line; must not block
     * @return closing it ends the subscription
     */
    public AutoCloseable follow(String namespace, String pod, Consumer<List<Line>> past, Consumer<Line> follower) {
        PodLog log = log(namespace, pod);
        synchronized (log) {
            past.accept(log.snapshot());
            log.followers.add(follower);
        }
        return () -> log.followers.remove(follower);
    }

    /** Forgets a pod's log. */
    public void remove(String namespace, String pod) {
        logs.remove(namespace + "/" + pod);
    }

    /** How many {@code follow} subscriptions are open, across pods. */
    public int followerCount() {
        return logs.values().stream().mapToInt(l -> l.followers.size()).sum();
    }

    private PodLog log(String namespace, String pod) {
        return logs.computeIfAbsent(namespace + "/" + pod, k -> new PodLog());
    }

    private static final class PodLog {
        private final List<Line> lines = new ArrayList<>();
        private final List<Consumer<Line>> followers = new CopyOnWriteArrayList<>();

        synchronized void append(Line line) {
            lines.add(line);
            if (lines.size() > MAX_LINES) {
                lines.remove(0);
            }
            followers.forEach(f -> f.accept(line));
        }

        synchronized List<Line> snapshot() {
            return List.copyOf(lines);
        }
    }
}
