package dev.clusterconnect.routes.component.tunnel;

import dev.clusterconnect.routes.status.KubeStatusException;
import dev.clusterconnect.routes.tunnel.TunnelSession;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How many streams the relay opens at once into one tunnel and for one user. Without a cap one
 * caller (or a script gone wrong) can hold every stream an agent and its apiserver can serve;
 * over a cap the request is answered 429 with {@code Retry-After}, saying which cap it hit, so
 * client-go waits and retries. A tunnel's count is its open streams; a user's is kept here, over
 * all tunnels of the endpoints of one name, and given back when each stream is over.
 */
final class StreamCaps {

    /** Seconds a refused caller waits: client-go retries a 429 with Retry-After up to ten times. */
    static final int RETRY_AFTER_SECONDS = 1;

    private final Map<String, Integer> byUser = new ConcurrentHashMap<>();

    /**
     * Takes a place for one more stream, or throws a 429 naming the cap.
     *
     * @param tunnel where the stream goes; null when it goes to a peer replica, whose own cap
     *     counts the streams of its tunnel (the link to it carries many clusters' streams)
     * @param user the verified caller, or null when unknown: then only the tunnel's cap applies
     * @return gives the place back; safe to run more than once
     */
    Runnable admit(TunnelSession tunnel, String user, int maxPerTunnel, int maxPerUser) {
        if (tunnel != null && maxPerTunnel > 0 && tunnel.openStreams() >= maxPerTunnel) {
            throw KubeStatusException.tooManyRequests(
                    "too many requests in progress to this cluster: its tunnel carries at most " + maxPerTunnel
                            + " streams at once; retry later",
                    RETRY_AFTER_SECONDS);
        }
        if (user == null || maxPerUser <= 0) {
            return () -> {};
        }
        boolean[] admitted = {false};
        byUser.compute(user, (key, count) -> {
            int now = count == null ? 0 : count;
            if (now >= maxPerUser) {
                return count;
            }
            admitted[0] = true;
            return now + 1;
        });
        if (!admitted[0]) {
            throw KubeStatusException.tooManyRequests(
                    "too many requests in progress for user " + user + ": at most " + maxPerUser
                            + " streams per user at once (watches and exec sessions count); retry later",
                    RETRY_AFTER_SECONDS);
        }
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                byUser.computeIfPresent(user, (key, count) -> count <= 1 ? null : count - 1);
            }
        };
    }

    /** Streams of {@code user} open now (0 for none). */
    int streamsOf(String user) {
        return byUser.getOrDefault(user, 0);
    }

    /** Users with a stream open now. */
    int users() {
        return byUser.size();
    }
}
