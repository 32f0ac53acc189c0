package dev.clusterconnect.routes.identity;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.ResourceRetriever;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One issuer's signing keys. Discovery runs lazily on the first token (so a briefly unreachable
 * issuer does not stop the agent from starting) and is retried at most once per refresh interval.
 * The keys themselves come from nimbus' {@link JWKSourceBuilder}: cached for
 * {@link AuthenticatorSettings#JWKS_CACHE_TIME_TO_LIVE}, refreshed on an unknown {@code kid}, and
 * rate-limited to two fetches per interval, so a flood of made-up {@code kid}s cannot hammer the issuer.
 */
final class IssuerKeySource implements JWKSource<SecurityContext> {

    private static final Logger LOG = LoggerFactory.getLogger(IssuerKeySource.class);

    private final String issuer;
    private final ResourceRetriever retriever;
    private final Duration minRefreshInterval;
    private volatile JWKSource<SecurityContext> keys;
    private volatile boolean keysFetched;
    private long nextDiscoveryNanos = System.nanoTime();

    IssuerKeySource(String issuer, ResourceRetriever retriever, Duration minRefreshInterval) {
        this.issuer = issuer;
        this.retriever = retriever;
        this.minRefreshInterval = minRefreshInterval;
    }

    @Override
    public List<JWK> get(JWKSelector selector, SecurityContext context) throws KeySourceException {
        JWKSource<SecurityContext> source = keys();
        try {
            List<JWK> selected = source.get(selector, context);
            keysFetched = true;
            return selected;
        } catch (RateLimitReachedException e) {
            if (!keysFetched) {
                // Never had keys: the issuer is down, not the kid unknown.
                throw new KeySourceException("keys of " + issuer + " are not available yet", e);
            }
            throw e;
        } catch (KeySourceException e) {
            // Only reached when a fetch really failed, which the rate limit bounds: no log flood.
            LOG.warn("Cannot fetch the signing keys of issuer {}: {}", issuer, e.getMessage());
            throw e;
        }
    }

    private JWKSource<SecurityContext> keys() throws KeySourceException {
        JWKSource<SecurityContext> current = keys;
        return current != null ? current : discover();
    }

    private synchronized JWKSource<SecurityContext> discover() throws KeySourceException {
        if (keys != null) {
            return keys;
        }
        long now = System.nanoTime();
        if (now - nextDiscoveryNanos < 0) {
            throw new KeySourceException("discovery of " + issuer + " failed recently; retrying later");
        }
        nextDiscoveryNanos = now + minRefreshInterval.toNanos();
        URL jwksUri;
        try {
            jwksUri = IssuerDiscovery.jwksUri(issuer, retriever);
        } catch (KeySourceException e) {
            LOG.warn("Discovery of issuer {} failed, next attempt in {}: {}", issuer, minRefreshInterval,
                    e.getMessage());
            throw e;
        }
        LOG.info("Issuer {} publishes its keys at {}", issuer, jwksUri);
        keys = JWKSourceBuilder.<SecurityContext>create(jwksUri, retriever)
                .cache(AuthenticatorSettings.JWKS_CACHE_TIME_TO_LIVE.toMillis(),
                        JWKSourceBuilder.DEFAULT_CACHE_REFRESH_TIMEOUT)
                // Refresh-ahead would run a background executor per issuer; a fetch on expiry is cheap enough.
                .refreshAheadCache(false)
                .rateLimited(minRefreshInterval.toMillis())
                .build();
        return keys;
    }
}
