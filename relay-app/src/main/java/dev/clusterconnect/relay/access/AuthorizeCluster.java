package dev.clusterconnect.relay.access;

import dev.clusterconnect.relay.store.RelayDatabase;
import dev.clusterconnect.relay.store.StoreException;
import dev.clusterconnect.routes.ClusterConnectHeaders;
import dev.clusterconnect.routes.http.HttpCall;
import dev.clusterconnect.routes.status.KubeStatusException;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * May this caller reach this cluster: its owner, a user granted by name, or a member of a granted
 * group. Decided here, before anything enters a tunnel, from the store on every request, so a
 * revoked grant takes effect with the next request.
 *
 * <p>When the store cannot answer (a PostgreSQL restart under running replicas), a caller that was
 * allowed to reach the cluster within the last {@value #STALE_MINUTES} minutes still is, and the
 * store is asked again at most every {@value #PROBE_MILLIS} ms, so requests through established
 * tunnels go on and no request waits for a dead connection pool. Anyone else gets 503.
 */
public final class AuthorizeCluster implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(AuthorizeCluster.class);
    private static final long STALE_MINUTES = 5;
    private static final long PROBE_MILLIS = 2_000;
    // Bounds the memory of the fallback; when full it starts again (the store answers normally).
    private static final int MAX_REMEMBERED = 100_000;

    private final RelayDatabase database;
    private final Map<String, Long> lastAllowed = new ConcurrentHashMap<>();
    private volatile long storeDownUntil;

    public AuthorizeCluster(RelayDatabase database) {
        this.database = database;
    }

    @Override
    public void process(Exchange exchange) {
        String clusterId = exchange.getMessage().getHeader(ClusterConnectHeaders.CLUSTER_ID, String.class);
        Caller caller = exchange.getProperty(Caller.PROPERTY, Caller.class);
        if (caller == null) {
            throw new IllegalStateException("authorisation before authentication");
        }
        String key = clusterId + '\n' + caller.user() + '\n' + String.join(",", new TreeSet<>(caller.groups()));
        if (System.nanoTime() - storeDownUntil < 0) {
            fromMemory(key, clusterId);
            return;
        }
        try {
            decide(exchange, clusterId, caller);
        } catch (StoreException e) {
            storeDownUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PROBE_MILLIS);
            LOG.warn("relay store unavailable for the access decision ({}); using decisions of the last {} minutes",
                    e.getMessage(), STALE_MINUTES);
            fromMemory(key, clusterId);
            return;
        }
        if (lastAllowed.size() >= MAX_REMEMBERED) {
            lastAllowed.clear();
        }
        lastAllowed.put(key, System.nanoTime());
    }

    private void decide(Exchange exchange, String clusterId, Caller caller) {
        if (database.clusters().find(clusterId).isEmpty()) {
            throw new KubeStatusException(404, "cluster " + clusterId + " not found");
        }
        if (!database.grants().isAllowed(clusterId, caller.user(), caller.groups())) {
            LOG.info("[{}] user {} may not reach cluster {}", exchange.getMessage().getBody(HttpCall.class).correlationId(),
                    caller.user(), clusterId);
            throw new KubeStatusException(403, "user " + caller.user() + " may not reach cluster " + clusterId);
        }
    }

    private void fromMemory(String key, String clusterId) {
        Long allowedAt = lastAllowed.get(key);
        if (allowedAt == null || System.nanoTime() - allowedAt > TimeUnit.MINUTES.toNanos(STALE_MINUTES)) {
            throw new KubeStatusException(503, "the relay cannot check access to cluster " + clusterId + " now; try again shortly");
        }
    }
}
