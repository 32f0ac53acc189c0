package dev.clusterconnect.agent.steps;

import dev.clusterconnect.routes.http.AsyncSteps;
import dev.clusterconnect.routes.http.BearerToken;
import dev.clusterconnect.routes.http.HttpCall;
import dev.clusterconnect.routes.identity.Authentication;
import dev.clusterconnect.routes.identity.TokenAuthenticator;
import java.util.concurrent.CompletableFuture;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step 2: who is calling. The bearer token is verified here, in the cluster, whatever the relay
 * already decided: the cluster does not take the relay's word for it. The result travels on as an
 * exchange property; the token itself is never logged. Never waits on the tunnel's event loop:
 * while an issuer's keys are being fetched, the request waits for them asynchronously, so one slow
 * issuer does not stall the tunnel's other streams.
 */
public final class Authenticate extends AsyncProcessorSupport {

    /** Exchange property: the {@link Authentication} of the caller. */
    public static final String RESULT = "ClusterConnectAuthentication";
    /** Exchange property: the caller's token, kept only for service-account pass-through. */
    public static final String PASS_THROUGH_TOKEN = "ClusterConnectPassThroughToken";

    private static final Logger LOG = LoggerFactory.getLogger(Authenticate.class);
    /** One line per authenticated request: who really called (issuer and subject) and as whom. */
    private static final Logger AUDIT = LoggerFactory.getLogger("clusterconnect.audit");

    private final TokenAuthenticator authenticator;

    public Authenticate(TokenAuthenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        HttpCall call = exchange.getMessage().getBody(HttpCall.class);
        String token;
        CompletableFuture<Authentication> result;
        try {
            token = BearerToken.of(call);
            result = BearerToken.authenticateAsync(authenticator, token, call, LOG);
        } catch (RuntimeException e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        return AsyncSteps.finish(
                exchange, callback, result, authentication -> accept(exchange, call, token, authentication));
    }

    private static void accept(Exchange exchange, HttpCall call, String token, Authentication result) {
        if (result instanceof Authentication.PassThrough) {
            exchange.setProperty(PASS_THROUGH_TOKEN, token);
        } else if (result instanceof Authentication.Authenticated authenticated) {
            AUDIT.info(
                    "[{}] {} {} by subject {} of {} as user {} groups {}",
                    call.correlationId(),
                    call.head().method(),
                    call.head().path(),
                    authenticated.subject(),
                    authenticated.issuer(),
                    authenticated.identity().user(),
                    authenticated.identity().groups());
        }
        exchange.setProperty(RESULT, result);
    }
}
