package dev.clusterconnect.relay.access;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decisions the store gave lately, per caller and cluster. A decision younger than
 * {@link #FRESH_MILLIS} answers without the store: that is the bound within which a new or revoked
 * grant, or a deleted cluster, reaches every replica. An allowed decision younger than
 * {@link #STALE_MILLIS} still admits while the store is down.
 */
final class AccessDecisions {

    enum Verdict {
        ALLOWED,
        FORBIDDEN,
        NO_CLUSTER
    }

    record Decision(Verdict verdict, long decidedAt) {}

    static final long FRESH_MILLIS = 2_000;
    static final long STALE_MILLIS = 5 * 60_000;
    // Bounds the memory; when full it starts again (the store answers the next requests).
    private static final int MAX_REMEMBERED = 100_000;

    private final Map<String, Decision> decisions = new ConcurrentHashMap<>();
    private final Clock clock;

    AccessDecisions(Clock clock) {
        this.clock = clock;
    }

    /** @return the decision the store gave within the freshness bound, or null */
    Verdict fresh(String key) {
        Decision decision = decisions.get(key);
        return decision != null && clock.millis() - decision.decidedAt() < FRESH_MILLIS ? decision.verdict() : null;
    }

    /** @return whether the store's last word on this key, within the stale bound, was to allow */
    boolean allowedLately(String key) {
        Decision decision = decisions.get(key);
        return decision != null
                && decision.verdict() == Verdict.ALLOWED
                && clock.millis() - decision.decidedAt() < STALE_MILLIS;
    }

    void remember(String key, Verdict verdict) {
        if (decisions.size() >= MAX_REMEMBERED) {
            decisions.clear();
        }
        decisions.put(key, new Decision(verdict, clock.millis()));
    }
}
