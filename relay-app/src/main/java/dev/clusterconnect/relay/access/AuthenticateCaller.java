package dev.clusterconnect.relay.access;

import dev.clusterconnect.routes.http.HttpCall;
import dev.clusterconnect.routes.identity.Authentication;
import dev.clusterconnect.routes.identity.TokenAuthenticator;
import dev.clusterconnect.routes.status.KubeStatusException;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who is calling: verifies the bearer token against the trusted issuers and leaves the
 * {@link Caller} as an exchange property. The relay must know the identity to authorise it, so a
 * token that is not a JWT of a trusted issuer is refused (no service-account pass-through here).
 * The {@code Authorization} header stays as it is: the agent verifies the token again.
 */
public final class AuthenticateCaller implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(AuthenticateCaller.class);

    private final TokenAuthenticator authenticator;

    public AuthenticateCaller(TokenAuthenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public void process(Exchange exchange) {
        HttpCall call = exchange.getMessage().getBody(HttpCall.class);
        List<String> authorization = call.head().headers().getAll("Authorization");
        if (authorization.size() > 1) {
            throw new KubeStatusException(400, "a request may carry one Authorization header");
        }
        String token = authorization.isEmpty() ? null : TokenAuthenticator.bearerToken(authorization.get(0)).orElse(null);
        if (token == null) {
            throw new KubeStatusException(401, "Unauthorized", "a bearer token is required");
        }
        Authentication result = authenticator.authenticate(token);
        if (result instanceof Authentication.Authenticated ok) {
            exchange.setProperty(Caller.PROPERTY, new Caller(ok.identity().user(), ok.identity().groups()));
            return;
        }
        if (result instanceof Authentication.Refused refused) {
            // The refusal message names claims and configured values, never token content.
            LOG.info("[{}] refused a caller: {} ({})", call.correlationId(), refused.reason().label(), refused.message());
            throw new KubeStatusException(refused.httpStatus(), refused.message());
        }
        throw new KubeStatusException(401, "Unauthorized", "the relay accepts only tokens of its trusted OIDC issuers");
    }
}
