package dev.clusterconnect.routes.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** Verifies signed JWTs against one configured issuer's keys only, then maps them to an identity. */
final class TrustedIssuer {

    private static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final int READ_TIMEOUT_MS = 5_000;
    /** Entra's JWKS is about 10 KiB; anything near this limit is not a key set. */
    private static final int FETCH_SIZE_LIMIT = 256 * 1024;
    /** Access-token types we accept; others (logout+jwt, secevent+jwt, ...) are a different kind of token. */
    private static final Set<String> ACCEPTED_TYPES = Set.of("jwt", "at+jwt", "application/at+jwt");

    private final IssuerSettings settings;
    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final ClaimMapper mapper;
    private final IssuerKeySource keys;

    TrustedIssuer(IssuerSettings settings, AuthenticatorSettings global, Clock clock)
            throws IOException, GeneralSecurityException {
        this.settings = settings;
        var retriever = new DefaultResourceRetriever(
                CONNECT_TIMEOUT_MS,
                READ_TIMEOUT_MS,
                FETCH_SIZE_LIMIT,
                true,
                IssuerTls.socketFactory(settings.caFile()));
        this.keys = new IssuerKeySource(settings.url(), retriever, global.jwksMinRefreshInterval());
        // The type is checked in authenticate(), with its own refusal reason.
        processor.setJWSTypeVerifier((type, context) -> {});
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(settings.algorithms(), keys));
        processor.setJWTClaimsSetVerifier(
                new ClaimsVerifier(settings.url(), settings.audience(), global.clockSkew(), clock));
        this.mapper = new ClaimMapper(settings.mapping(), global.allowSystemIdentities());
    }

    String url() {
        return settings.url();
    }

    /** Starts fetching this issuer's keys in the background. */
    void warmUp() {
        keys.warmUp();
    }

    /** @return the fetch of this issuer's keys in flight, or null */
    CompletableFuture<Void> pendingKeys() {
        return keys.pending();
    }

    /**
     * @param context {@link IssuerKeySource#NO_WAIT} if the caller must not wait for the issuer's
     *     keys (they are then refused as unavailable while a fetch runs), else null
     */
    Authentication authenticate(SignedJWT token, SecurityContext context) {
        JWSAlgorithm algorithm = token.getHeader().getAlgorithm();
        if (!settings.algorithms().contains(algorithm)) {
            // The algorithm name comes from the token: it stays out of the message.
            return refuse(
                    RefusalReason.ALGORITHM_NOT_ALLOWED,
                    "token signature algorithm is not allowed for " + settings.url());
        }
        JOSEObjectType type = token.getHeader().getType();
        if (type != null && !ACCEPTED_TYPES.contains(type.getType().toLowerCase(Locale.ROOT))) {
            return refuse(RefusalReason.UNSUPPORTED_TOKEN, "token type (typ) is not an access or ID token");
        }
        try {
            JWTClaimsSet claims = processor.process(token, context);
            return new Authentication.Authenticated(mapper.map(claims), settings.url(), claims.getSubject());
        } catch (ClaimRejection e) {
            return e.toRefused();
        } catch (BadJWSException e) {
            return refuse(RefusalReason.BAD_SIGNATURE, "token signature is invalid");
        } catch (BadJOSEException e) {
            // What remains after the algorithm check: no key in the JWKS matches the token's kid,
            // even after a refresh (or the refresh budget for this interval is spent).
            return refuse(
                    RefusalReason.UNKNOWN_KEY, "token is signed with a key " + settings.url() + " does not publish");
        } catch (KeySourceException e) {
            return refuse(
                    RefusalReason.ISSUER_UNAVAILABLE,
                    "the signing keys of " + settings.url() + " cannot be fetched right now");
        } catch (JOSEException e) {
            return refuse(RefusalReason.BAD_SIGNATURE, "token signature cannot be verified");
        }
    }

    private static Authentication refuse(RefusalReason reason, String message) {
        return Authentication.Refused.of(reason, message);
    }
}
