package dev.clusterconnect.routes.http;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Tells the hops serving a call that whoever sent it went away: kubectl's connection closed, or
 * the hop before reset the tunnel stream. A hop still waiting for its answer (a slow LIST, an
 * apiserver that has not replied) stops waiting and cancels its own upstream, so the apiserver
 * is not left working for nobody until its head deadline. Once an answer is on its way, the body's
 * own cancellation covers the rest; listeners that find their exchange answered do nothing.
 *
 * <p>Thread-safe; each listener runs once, on the thread that abandons (or registers, if that
 * came later).
 */
public final class Abandonment {

    private final Queue<Runnable> listeners = new ConcurrentLinkedQueue<>();
    private volatile boolean abandoned;

    public void whenAbandoned(Runnable listener) {
        listeners.add(listener);
        if (abandoned) {
            runListeners();
        }
    }

    public void abandon() {
        abandoned = true;
        runListeners();
    }

    public boolean isAbandoned() {
        return abandoned;
    }

    private void runListeners() {
        for (Runnable next = listeners.poll(); next != null; next = listeners.poll()) {
            next.run();
        }
    }
}
