package dev.clusterconnect.routes.http;

import dev.clusterconnect.routes.identity.Authentication;
import dev.clusterconnect.routes.identity.TokenAuthenticator;
import dev.clusterconnect.routes.status.KubeStatusException;
import dev.clusterconnect.routes.status.StatusMapping;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;

/** The caller's bearer token, checked the same way by the relay and by the agent. */
public final class BearerToken {

    private BearerToken() {}

    /** The one bearer token of the request; 400 for two Authorization headers, 401 for none. */
    public static String of(HttpCall call) {
        List<String> authorization = call.head().headers().getAll("Authorization");
        if (authorization.size() > 1) {
            throw new KubeStatusException(400, "a request may carry one Authorization header");
        }
        String token = authorization.isEmpty()
                ? null
                : TokenAuthenticator.bearerToken(authorization.get(0)).orElse(null);
        if (token == null) {
            throw new KubeStatusException(401, "Unauthorized", "a bearer token is required");
        }
        return token;
    }

    /**
     * Authenticates {@code token}; a refusal ends the exchange with its status and is logged with
     * its reason, which names claims and configured values, never token content.
     */
    public static Authentication authenticate(
            TokenAuthenticator authenticator, String token, HttpCall call, Logger log) {
        return accepted(authenticator.authenticate(token), call, log);
    }

    /**
     * As {@link #authenticate}, never waiting on the calling thread (an event loop): completes at
     * once when the issuer's keys are at hand, else on an {@code oidc-resume} thread; a refusal completes it
     * exceptionally with its {@link KubeStatusException}.
     */
    public static CompletableFuture<Authentication> authenticateAsync(
            TokenAuthenticator authenticator, String token, HttpCall call, Logger log) {
        return authenticator.authenticateAsync(token).thenApply(result -> accepted(result, call, log));
    }

    private static Authentication accepted(Authentication result, HttpCall call, Logger log) {
        if (result instanceof Authentication.Refused refused) {
            log.info(
                    "[{}] refused a caller: {} ({})",
                    call.correlationId(),
                    refused.reason().label(),
                    refused.message());
            dev.clusterconnect.routes.metrics.Metrics.authenticationFailure(
                    refused.reason().label());
            throw StatusMapping.refused(refused);
        }
        return result;
    }
}
