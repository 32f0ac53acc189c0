package dev.clusterconnect.routes.identity;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.ResourceRetriever;
import java.io.IOException;
import java.net.URL;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One issuer's signing keys, held in memory. Discovery and the JWKS are fetched on
 * {@link #FETCH_THREAD} threads, never on the caller's: a request on an event loop passes
 * {@link #NO_WAIT} and, when the keys it needs are not there yet, gets a
 * {@link KeysPendingException} to wait on asynchronously. Other callers (tests, start-up) wait.
 *
 * <p>Keys are refreshed after {@link AuthenticatorSettings#JWKS_CACHE_TIME_TO_LIVE} (the old ones
 * serve until the new set arrives) and on an unknown {@code kid}, at most twice per refresh interval
 * (one fetch for expiry, one for rotation), so a flood of made-up {@code kid}s cannot hammer the
 * issuer. A failed discovery is retried under the same limit, so a briefly unreachable issuer does
 * not stop the agent from starting.
 */
final class IssuerKeySource implements JWKSource<SecurityContext> {

    /** Pass as the security context when the caller must not wait for a fetch. */
    static final SecurityContext NO_WAIT = new SecurityContext() {};
    /** Name prefix of the fetching threads. */
    static final String FETCH_THREAD = "oidc-keys-";

    private static final Logger LOG = LoggerFactory.getLogger(IssuerKeySource.class);
    private static final AtomicInteger THREADS = new AtomicInteger();
    // Unbounded in name only: each issuer has at most one fetch in flight. Daemon threads, gone when idle.
    static final ExecutorService FETCHES = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, FETCH_THREAD + THREADS.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });

    /**
     * Where requests that waited for keys go on (the rest of their route runs there): two threads,
     * not one per waiting request, and not the fetching threads, which a slow issuer may hold.
     */
    static final ExecutorService RESUMES = Executors.newFixedThreadPool(2, task -> {
        Thread thread = new Thread(task, "oidc-resume-" + THREADS.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });

    private record Keys(JWKSet set, long fetchedAt) {}

    private final String issuer;
    private final ResourceRetriever retriever;
    private final Duration minRefreshInterval;
    private volatile Keys keys;
    private volatile URL jwksUri;
    // Guarded by this: the fetch in flight, and the rate limit's window.
    private CompletableFuture<Void> inFlight;
    private long windowStart;
    private int fetchesInWindow;

    IssuerKeySource(String issuer, ResourceRetriever retriever, Duration minRefreshInterval) {
        this.issuer = issuer;
        this.retriever = retriever;
        this.minRefreshInterval = minRefreshInterval;
    }

    @Override
    public List<JWK> get(JWKSelector selector, SecurityContext context) throws KeySourceException {
        Keys current = keys;
        if (current != null) {
            if (System.nanoTime() - current.fetchedAt() > AuthenticatorSettings.JWKS_CACHE_TIME_TO_LIVE.toNanos()) {
                refresh();
            }
            List<JWK> found = selector.select(current.set());
            if (!found.isEmpty()) {
                return found;
            }
        }
        CompletableFuture<Void> fetch = refresh();
        if (fetch == null) {
            // Spent the refresh budget: an unknown kid stays unknown, no keys at all stay unavailable.
            if (current == null) {
                throw new KeySourceException("keys of " + issuer + " are not available yet; fetched recently");
            }
            return List.of();
        }
        if (context == NO_WAIT) {
            throw new KeysPendingException(issuer, fetch);
        }
        try {
            fetch.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof KeySourceException failed
                    ? failed
                    : new KeySourceException(e.getMessage(), e);
        }
        return selector.select(keys.set());
    }

    /** Starts fetching the keys at start-up, so the first request finds them. */
    void warmUp() {
        refresh();
    }

    /** @return the fetch in flight, or null when none is */
    synchronized CompletableFuture<Void> pending() {
        return inFlight == null || inFlight.isDone() ? null : inFlight;
    }

    /** @return the fetch in flight or a new one; null when the rate limit allows none now */
    private synchronized CompletableFuture<Void> refresh() {
        if (inFlight != null && !inFlight.isDone()) {
            return inFlight;
        }
        long now = System.nanoTime();
        if (fetchesInWindow == 0 || now - windowStart >= minRefreshInterval.toNanos()) {
            windowStart = now;
            fetchesInWindow = 0;
        }
        if (fetchesInWindow >= 2) {
            return null;
        }
        fetchesInWindow++;
        inFlight = CompletableFuture.runAsync(this::fetch, FETCHES);
        return inFlight;
    }

    /** Runs on a fetch thread: discovery once, then the key set. */
    private void fetch() {
        try {
            if (jwksUri == null) {
                jwksUri = discover();
            }
            JWKSet set = JWKSet.parse(retriever.retrieveResource(jwksUri).getContent())
                    .toPublicJWKSet();
            keys = new Keys(set, System.nanoTime());
        } catch (IOException | ParseException e) {
            LOG.warn("Cannot fetch the signing keys of issuer {}: {}", issuer, e.getMessage());
            throw new CompletionException(
                    new KeySourceException("cannot fetch the keys of " + issuer + ": " + e.getMessage(), e));
        } catch (KeySourceException e) {
            throw new CompletionException(e);
        }
    }

    private URL discover() throws KeySourceException {
        try {
            URL uri = IssuerDiscovery.jwksUri(issuer, retriever);
            LOG.info("Issuer {} publishes its keys at {}", issuer, uri);
            return uri;
        } catch (KeySourceException e) {
            LOG.warn(
                    "Discovery of issuer {} failed, next attempt after {}: {}",
                    issuer,
                    minRefreshInterval,
                    e.getMessage());
            throw e;
        }
    }
}
