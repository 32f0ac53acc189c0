package dev.clusterconnect.relay.access;

import dev.clusterconnect.routes.ClusterConnectHeaders;
import dev.clusterconnect.routes.http.AsyncSteps;
import dev.clusterconnect.routes.http.BearerToken;
import dev.clusterconnect.routes.http.HttpCall;
import dev.clusterconnect.routes.identity.Authentication;
import dev.clusterconnect.routes.identity.TokenAuthenticator;
import dev.clusterconnect.routes.status.KubeStatusException;
import java.util.concurrent.CompletableFuture;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who is calling: verifies the bearer token against the trusted issuers and leaves the
 * {@link Caller} as an exchange property. The relay must know the identity to authorise it, so a
 * token that is not a JWT of a trusted issuer is refused (no service-account pass-through here).
 * The {@code Authorization} header stays as it is: the agent verifies the token again. Never waits
 * on the event loop: while an issuer's keys are being fetched the request waits for them
 * asynchronously (at most {@link dev.clusterconnect.routes.identity.TokenAuthenticator#KEY_WAIT}).
 */
public final class AuthenticateCaller extends AsyncProcessorSupport {

    private static final Logger LOG = LoggerFactory.getLogger(AuthenticateCaller.class);

    private final TokenAuthenticator authenticator;

    public AuthenticateCaller(TokenAuthenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        HttpCall call = exchange.getMessage().getBody(HttpCall.class);
        CompletableFuture<Authentication> result;
        try {
            result = BearerToken.authenticateAsync(authenticator, BearerToken.of(call), call, LOG);
        } catch (RuntimeException e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        return AsyncSteps.finish(exchange, callback, result, authentication -> {
            if (!(authentication instanceof Authentication.Authenticated ok)) {
                throw new KubeStatusException(
                        401, "Unauthorized", "the relay accepts only tokens of its trusted OIDC issuers");
            }
            exchange.setProperty(
                    Caller.PROPERTY,
                    new Caller(ok.identity().user(), ok.identity().groups()));
            // The tunnel counts each user's open streams against its per-user cap.
            exchange.getMessage()
                    .setHeader(ClusterConnectHeaders.USER, ok.identity().user());
        });
    }
}
