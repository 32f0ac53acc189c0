package dev.clusterconnect.sandbox.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Fans store changes out to watches. {@link #publish} and {@link #subscribe} run under the store
 * lock, so a new watch receives its initial or replayed events before any later change; sinks must
 * therefore only hand events on (e.g. queue a write on a channel), never block.
 */
public final class WatchHub {

    /** Changes kept for watches that resume from a resourceVersion; older ones answer 410 Expired. */
    static final int HISTORY_LIMIT = 10_000;

    /** Watches of every namespace are filed under this key, the others under their namespace. */
    private static final String ALL_NAMESPACES = "";

    /** By namespace, so that an event costs the watches of its namespace, not all of them (10,000 in the watch benchmark). */
    private final ConcurrentHashMap<String, Set<Subscription>> subscriptions = new ConcurrentHashMap<>();

    private final Deque<WatchEvent> history = new ArrayDeque<>();
    private boolean historyTruncated;

    /**
     * What a watch wants.
     *
     * @param type the resource type
     * @param namespace a namespace, or {@code null} for all
     * @param filter label and field selectors
     * @param fromResourceVersion replay changes after this version, or -1 to start with an ADDED
     *     event for every matching object, as the apiserver does when no resourceVersion is given
     */
    public record Request(
            ResourceType type, String namespace, Predicate<ObjectNode> filter, long fromResourceVersion) {}

    /** Receives a watch's events; called with the store lock held, so it must not block. */
    public interface Sink {
        /** One event for the client. */
        void send(String type, ObjectNode object);

        /** The initial ADDED events (or the replay) are all sent; {@code resourceVersion} is current. */
        default void initialEventsSent(long resourceVersion) {}
    }

    /** An open watch; closing it stops the events. */
    public final class Subscription implements AutoCloseable {
        private final Request request;
        private final Sink sink;

        private Subscription(Request request, Sink sink) {
            this.request = request;
            this.sink = sink;
        }

        @Override
        public void close() {
            Set<Subscription> filed = subscriptions.get(key(request.namespace()));
            if (filed != null) {
                filed.remove(this);
            }
        }

        private void deliver(WatchEvent event) {
            deliver(event, event.namespace());
        }

        private void deliver(WatchEvent event, String eventNamespace) {
            if (event.resource() != request.type()
                    || (request.namespace() != null && !request.namespace().equals(eventNamespace))) {
                return;
            }
            boolean matches = request.filter().test(event.object());
            boolean matched = event.previous() != null && request.filter().test(event.previous());
            String type = switch (event.type()) {
                case WatchEvent.MODIFIED ->
                    matches && matched
                            ? WatchEvent.MODIFIED
                            : matches ? WatchEvent.ADDED : matched ? WatchEvent.DELETED : null;
                default -> matches ? event.type() : null;
            };
            if (type != null) {
                sink.send(type, event.object().deepCopy());
            }
        }
    }

    Subscription subscribe(Request request, List<ObjectNode> existing, long currentVersion, Sink sink) {
        Subscription subscription = new Subscription(request, sink);
        if (request.fromResourceVersion() < 0) {
            existing.stream().filter(request.filter()).forEach(o -> sink.send(WatchEvent.ADDED, o));
        } else {
            replay(subscription, request.fromResourceVersion());
        }
        sink.initialEventsSent(currentVersion);
        subscriptions
                .computeIfAbsent(key(request.namespace()), k -> ConcurrentHashMap.newKeySet())
                .add(subscription);
        return subscription;
    }

    void publish(WatchEvent event) {
        history.addLast(event);
        if (history.size() > HISTORY_LIMIT) {
            history.removeFirst();
            historyTruncated = true;
        }
        String namespace = event.namespace();
        deliver(subscriptions.get(ALL_NAMESPACES), event, namespace);
        if (namespace != null && !namespace.equals(ALL_NAMESPACES)) {
            deliver(subscriptions.get(namespace), event, namespace);
        }
    }

    int size() {
        return subscriptions.values().stream().mapToInt(Set::size).sum();
    }

    private static void deliver(Set<Subscription> filed, WatchEvent event, String namespace) {
        if (filed != null) {
            for (Subscription subscription : filed) {
                subscription.deliver(event, namespace);
            }
        }
    }

    private static String key(String namespace) {
        return namespace == null ? ALL_NAMESPACES : namespace;
    }

    private void replay(Subscription subscription, long from) {
        if (historyTruncated && !history.isEmpty() && from < history.peekFirst().resourceVersion() - 1) {
            throw ApiException.expired(from, history.peekFirst().resourceVersion());
        }
        for (WatchEvent event : history) {
            if (event.resourceVersion() > from) {
                subscription.deliver(event);
            }
        }
    }
}
