package dev.clusterconnect.routes.identity;

import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Turns a bearer token into an {@link Authentication}. Thread-safe; on the hot path it parses,
 * verifies against cached keys and maps claims, with no network unless an issuer's keys are due
 * for a refresh or the token names a key not seen yet.
 *
 * <pre>{@code
 * TokenAuthenticator authenticator = TokenAuthenticator.fromProperties(properties, "agent.oidc");
 * if (authenticator.authenticate(token) instanceof Authentication.Authenticated ok) {
 *     ImpersonationHeaders.of(ok.identity()).forEach(h -> upstream.add(h.name(), h.value()));
 * }
 * }</pre>
 */
public final class TokenAuthenticator {

    private static final String BEARER = "Bearer ";
    /** How long a request waits for an issuer's keys being fetched before it is answered 503. */
    public static final Duration KEY_WAIT = Duration.ofSeconds(5);

    private final AuthenticatorSettings settings;
    private final Map<String, TrustedIssuer> issuers;
    private final VerifiedTokens verified;

    private TokenAuthenticator(AuthenticatorSettings settings, Map<String, TrustedIssuer> issuers, Clock clock) {
        this.settings = settings;
        this.issuers = issuers;
        this.verified = new VerifiedTokens(clock);
    }

    /**
     * Parses the properties under {@code prefix} (see {@link OidcProperties}) and builds an authenticator.
     *
     * @throws IdentityConfigException listing every configuration problem
     */
    public static TokenAuthenticator fromProperties(Map<String, String> properties, String prefix) {
        return create(OidcProperties.parse(properties, prefix));
    }

    /**
     * Builds an authenticator from settings. Fetches nothing yet: each issuer is discovered on its first token.
     *
     * @throws IdentityConfigException if an issuer's CA file cannot be loaded
     */
    public static TokenAuthenticator create(AuthenticatorSettings settings) {
        return create(settings, Clock.systemUTC());
    }

    static TokenAuthenticator create(AuthenticatorSettings settings, Clock clock) {
        Map<String, TrustedIssuer> issuers = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (IssuerSettings issuer : settings.issuers()) {
            try {
                issuers.put(issuer.url(), new TrustedIssuer(issuer, settings, clock));
            } catch (Exception e) {
                problems.add("issuer " + issuer.url() + ": cannot set up TLS trust from " + issuer.caFile() + " ("
                        + e.getMessage() + ")");
            }
        }
        if (!problems.isEmpty()) {
            throw new IdentityConfigException(problems);
        }
        return new TokenAuthenticator(settings, Map.copyOf(issuers), clock);
    }

    /** The token from an {@code Authorization} header value of the form {@code Bearer <token>}. */
    public static Optional<String> bearerToken(String authorizationHeader) {
        if (authorizationHeader == null
                || authorizationHeader.length() <= BEARER.length()
                || !authorizationHeader.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.empty();
        }
        return Optional.of(authorizationHeader.substring(BEARER.length()).trim())
                .filter(token -> !token.isEmpty());
    }

    /** The settings this authenticator runs with. */
    public AuthenticatorSettings settings() {
        return settings;
    }

    /**
     * Authenticates a bearer token (the part after {@code Bearer }). Never throws for bad input;
     * every failure is a {@link Authentication.Refused} whose message is safe to show and log.
     */
    public Authentication authenticate(String bearerToken) {
        return authenticate(bearerToken, null);
    }

    /**
     * Authenticates like {@link #authenticate(String)} without ever waiting on the calling thread:
     * safe on an event loop. While the issuer's keys are being fetched (first use, a new
     * {@code kid}), the result completes on an {@code oidc-resume} thread once they arrive, or after
     * {@link #KEY_WAIT} with the 503 refusal that the keys are not available.
     */
    public CompletableFuture<Authentication> authenticateAsync(String bearerToken) {
        Authentication first = authenticate(bearerToken, IssuerKeySource.NO_WAIT);
        if (!(first instanceof Authentication.Refused refused)
                || refused.reason() != RefusalReason.ISSUER_UNAVAILABLE) {
            return CompletableFuture.completedFuture(first);
        }
        TrustedIssuer issuer = issuerOf(bearerToken);
        CompletableFuture<Void> pending = issuer == null ? null : issuer.pendingKeys();
        if (pending == null) {
            // The fetch may have ended between the refusal and now: one more look, no waiting.
            return CompletableFuture.completedFuture(authenticate(bearerToken, IssuerKeySource.NO_WAIT));
        }
        return pending.handle((done, failure) -> (Void) null)
                .completeOnTimeout(null, KEY_WAIT.toMillis(), TimeUnit.MILLISECONDS)
                .thenApplyAsync(ready -> authenticate(bearerToken, IssuerKeySource.NO_WAIT), IssuerKeySource.RESUMES);
    }

    /** Starts fetching every issuer's keys in the background, so the first requests find them. */
    public void warmUp() {
        issuers.values().forEach(TrustedIssuer::warmUp);
    }

    private TrustedIssuer issuerOf(String bearerToken) {
        try {
            String url = JWTParser.parse(bearerToken).getJWTClaimsSet().getIssuer();
            return url == null ? null : issuers.get(url);
        } catch (ParseException e) {
            return null;
        }
    }

    private Authentication authenticate(String bearerToken, SecurityContext keyContext) {
        if (bearerToken == null || bearerToken.isEmpty()) {
            return refuse(RefusalReason.MALFORMED, "no bearer token");
        }
        // Characters, not bytes: a token that passes the syntax check below is ASCII, so they agree.
        if (bearerToken.length() > settings.maxTokenBytes()) {
            return refuse(RefusalReason.TOO_LARGE, "token is larger than " + settings.maxTokenBytes() + " bytes");
        }
        if (!isBearerSyntax(bearerToken)) {
            return refuse(RefusalReason.MALFORMED, "token holds characters a bearer token cannot contain");
        }
        String key = VerifiedTokens.key(bearerToken);
        Authentication.Authenticated seen = verified.find(key);
        if (seen != null) {
            return seen;
        }
        JWT jwt;
        String issuerUrl;
        try {
            jwt = JWTParser.parse(bearerToken);
            if (jwt instanceof EncryptedJWT) {
                return refuse(RefusalReason.UNSUPPORTED_TOKEN, "encrypted tokens (JWE) are not accepted");
            }
            issuerUrl = jwt.getJWTClaimsSet().getIssuer();
        } catch (ParseException e) {
            return notFromTrustedIssuer(RefusalReason.MALFORMED, "token is not a well-formed JWT");
        }
        // Picked by the unverified iss; from here on only this issuer's keys can make the token valid.
        TrustedIssuer issuer = issuerUrl == null ? null : issuers.get(issuerUrl);
        if (issuer == null) {
            return notFromTrustedIssuer(RefusalReason.UNTRUSTED_ISSUER, "token issuer is not trusted");
        }
        if (jwt instanceof PlainJWT) {
            return refuse(RefusalReason.ALGORITHM_NOT_ALLOWED, "unsigned tokens (alg none) are not accepted");
        }
        Authentication result = issuer.authenticate((SignedJWT) jwt, keyContext);
        if (result instanceof Authentication.Authenticated ok) {
            try {
                verified.remember(key, ok, jwt.getJWTClaimsSet().getExpirationTime());
            } catch (ParseException e) {
                // cannot happen: the claims were parsed above; the token is simply not remembered
            }
        }
        return result;
    }

    /** How many verified tokens are remembered (for tests). */
    int rememberedTokens() {
        return verified.size();
    }

    private Authentication notFromTrustedIssuer(RefusalReason reason, String message) {
        return settings.serviceAccountTokens() ? new Authentication.PassThrough() : refuse(reason, message);
    }

    /** RFC 6750 b64token characters: anything else cannot be a bearer token and must not reach a header. */
    private static boolean isBearerSyntax(String token) {
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            boolean legal = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '.'
                    || c == '_'
                    || c == '~'
                    || c == '+'
                    || c == '/'
                    || c == '=';
            if (!legal) {
                return false;
            }
        }
        return true;
    }

    private static Authentication refuse(RefusalReason reason, String message) {
        return Authentication.Refused.of(reason, message);
    }
}
