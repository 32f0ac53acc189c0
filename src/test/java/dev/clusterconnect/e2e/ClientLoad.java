package dev.clusterconnect.e2e;

import dev.clusterconnect.routes.http.RequestIds;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * Clients that keep sending requests to every cluster of a {@link RelayReplicas} scene while a
 * fault test does its worst, and remember every answer with when it was asked and answered.
 */
final class ClientLoad implements AutoCloseable {

    /** One request: cluster index, start and end (nanoTime), HTTP status (-1: no answer), the id every hop logs. */
    record Answer(int cluster, long start, long end, int status, String requestId) {
        boolean ok() {
            return status == 200;
        }
    }

    private final RelayReplicas scene;
    private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();

    private ClientLoad(RelayReplicas scene) {
        this.scene = scene;
    }

    /** {@code clients} threads, each going round all clusters, starting at a different one. */
    static ClientLoad start(RelayReplicas scene, int clients) {
        ClientLoad load = new ClientLoad(scene);
        int clusters = scene.clusterIds.size();
        for (int t = 0; t < clients; t++) {
            int first = t * clusters / clients;
            Thread thread = new Thread(() -> load.loop(first), "client-load-" + t);
            thread.setDaemon(true);
            thread.start();
            load.threads.add(thread);
        }
        return load;
    }

    private void loop(int first) {
        int clusters = scene.clusterIds.size();
        for (int i = first; running.get(); i = (i + 1) % clusters) {
            long start = System.nanoTime();
            String requestId = RequestIds.generate();
            int status;
            try {
                status = scene.status(i, "/api/v1/namespaces/default", requestId);
            } catch (InterruptedException e) {
                return;
            }
            answers.add(new Answer(i, start, System.nanoTime(), status, requestId));
        }
    }

    int count() {
        return answers.size();
    }

    List<Answer> answers() {
        return List.copyOf(answers);
    }

    /** The failed answers, by status, for a failure message. */
    Map<Integer, Long> failuresByStatus(List<Answer> of) {
        return of.stream().filter(a -> !a.ok()).collect(Collectors.groupingBy(Answer::status, Collectors.counting()));
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread thread : threads) {
            thread.join(30_000);
        }
    }
}
