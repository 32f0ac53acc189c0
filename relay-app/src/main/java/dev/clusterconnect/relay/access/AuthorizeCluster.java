package dev.clusterconnect.relay.access;

import dev.clusterconnect.relay.access.AccessDecisions.Verdict;
import dev.clusterconnect.relay.store.StoreException;
import dev.clusterconnect.routes.ClusterConnectHeaders;
import dev.clusterconnect.routes.status.KubeStatusException;
import dev.clusterconnect.routes.status.StatusMapping;
import java.time.Clock;
import java.util.TreeSet;
import java.util.concurrent.RejectedExecutionException;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * May this caller reach this cluster: its owner, a user granted by name, or a member of a granted
 * group. Decided here, before anything enters a tunnel.
 *
 * <p>The store is asked on {@link DecisionThreads}, never on the event loop that received the
 * request; the exchange goes on from there. Its answer (allowed, forbidden, or no such cluster) is
 * reused for the same caller and cluster for {@value AccessDecisions#FRESH_MILLIS} ms, so a new or
 * revoked grant and a deleted cluster take effect on new requests within that bound, on every
 * replica.
 *
 * <p>When the store cannot answer (a PostgreSQL restart under running replicas), a caller the store
 * last allowed within {@value AccessDecisions#STALE_MILLIS} ms still is, and the store is asked
 * again at most every {@value #PROBE_MILLIS} ms, so requests through established tunnels go on and
 * few requests wait for a dead connection pool. Anyone else waits for the next probe (at most
 * {@value #PROBE_MILLIS} ms, on a timer, not on a loop) and gets 503 if the store is still down.
 */
public final class AuthorizeCluster extends AsyncProcessorSupport {

    private static final Logger LOG = LoggerFactory.getLogger(AuthorizeCluster.class);
    static final long PROBE_MILLIS = 2_000;

    private final AccessRules rules;
    private final DecisionThreads threads;
    private final Clock clock;
    private final AccessDecisions decisions;
    // Clock millis until which the store counts as down; 0 while it answers.
    private volatile long storeDownUntil;

    public AuthorizeCluster(AccessRules rules, DecisionThreads threads, Clock clock) {
        this.rules = rules;
        this.threads = threads;
        this.clock = clock;
        this.decisions = new AccessDecisions(clock);
    }

    /** One request's question, and the key its answer is remembered by. */
    private record Question(String clusterId, Caller caller, String key) {
        static Question of(Exchange exchange) {
            String clusterId = exchange.getMessage().getHeader(ClusterConnectHeaders.CLUSTER_ID, String.class);
            Caller caller = exchange.getProperty(Caller.PROPERTY, Caller.class);
            if (caller == null) {
                throw new IllegalStateException("authorisation before authentication");
            }
            return new Question(
                    clusterId,
                    caller,
                    clusterId + '\n' + caller.user() + '\n' + String.join(",", new TreeSet<>(caller.groups())));
        }
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        Question question = Question.of(exchange);
        Verdict known = decisions.fresh(question.key());
        if (known != null) {
            return answer(exchange, question, known, callback, true);
        }
        if (isStoreDown() && decisions.allowedLately(question.key())) {
            callback.done(true);
            return true;
        }
        long downMark = isStoreDown() ? storeDownUntil : 0;
        long delay = downMark == 0 ? 0 : downMark - clock.millis();
        return later(exchange, callback, true, delay, () -> decide(exchange, question, callback, downMark));
    }

    /**
     * Asks the store, on a decision thread. {@code downMark} is the store-down mark the request saw
     * when it was queued: if another request probed the store meanwhile and found it still down, this
     * one does not wait for a dead pool a second time.
     */
    private void decide(Exchange exchange, Question question, AsyncCallback callback, long downMark) {
        if (downMark != 0 && storeDownUntil != downMark && isStoreDown()) {
            unavailable(exchange, question, callback);
            return;
        }
        Verdict verdict;
        try {
            verdict = ask(question);
        } catch (StoreException e) {
            storeDownUntil = clock.millis() + PROBE_MILLIS;
            LOG.warn(
                    "relay store unavailable for the access decision ({}); using decisions of the last {} minutes",
                    e.getMessage(),
                    AccessDecisions.STALE_MILLIS / 60_000);
            if (decisions.allowedLately(question.key())) {
                callback.done(false);
            } else if (downMark == 0) {
                long mark = storeDownUntil;
                later(exchange, callback, false, PROBE_MILLIS, () -> decide(exchange, question, callback, mark));
            } else {
                unavailable(exchange, question, callback);
            }
            return;
        }
        storeDownUntil = 0;
        decisions.remember(question.key(), verdict);
        answer(exchange, question, verdict, callback, false);
    }

    private Verdict ask(Question question) {
        if (!rules.clusterExists(question.clusterId())) {
            return Verdict.NO_CLUSTER;
        }
        return rules.isAllowed(
                        question.clusterId(),
                        question.caller().user(),
                        question.caller().groups())
                ? Verdict.ALLOWED
                : Verdict.FORBIDDEN;
    }

    private boolean answer(
            Exchange exchange, Question question, Verdict verdict, AsyncCallback callback, boolean sync) {
        String clusterId = question.clusterId();
        Caller caller = question.caller();
        switch (verdict) {
            case ALLOWED -> {}
            case NO_CLUSTER ->
                exchange.setException(new KubeStatusException(404, "cluster " + clusterId + " not found"));
            case FORBIDDEN -> {
                LOG.info(
                        "[{}] user {} may not reach cluster {}",
                        exchange.getMessage().getHeader(ClusterConnectHeaders.CORRELATION_ID, String.class),
                        caller.user(),
                        clusterId);
                exchange.setException(
                        new KubeStatusException(403, ForbiddenMessage.of(caller.user(), caller.groups(), clusterId)));
            }
        }
        callback.done(sync);
        return sync;
    }

    /** Runs the task on a decision thread; {@code sync} says whether the caller is still in process(). */
    private boolean later(Exchange exchange, AsyncCallback callback, boolean sync, long delayMillis, Runnable task) {
        Runnable guarded = () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                exchange.setException(e);
                callback.done(false);
            }
        };
        try {
            threads.run(guarded, Math.max(0, Math.min(delayMillis, PROBE_MILLIS)));
            return false;
        } catch (RejectedExecutionException e) {
            exchange.setException(StatusMapping.busy("the relay is too busy to check access now; try again shortly"));
            callback.done(sync);
            return sync;
        }
    }

    private void unavailable(Exchange exchange, Question question, AsyncCallback callback) {
        exchange.setException(new KubeStatusException(
                503, "the relay cannot check access to cluster " + question.clusterId() + " now; try again shortly"));
        callback.done(false);
    }

    private boolean isStoreDown() {
        return storeDownUntil != 0 && clock.millis() < storeDownUntil;
    }
}
