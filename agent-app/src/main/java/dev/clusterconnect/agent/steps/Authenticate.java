package dev.clusterconnect.agent.steps;

import dev.clusterconnect.routes.http.BearerToken;
import dev.clusterconnect.routes.http.HttpCall;
import dev.clusterconnect.routes.identity.Authentication;
import dev.clusterconnect.routes.identity.TokenAuthenticator;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step 2: who is calling. The bearer token is verified here, in the cluster, whatever the relay
 * already decided: the cluster does not take the relay's word for it. The result travels on as an
 * exchange property; the token itself is never logged.
 */
public final class Authenticate implements Processor {

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
    public void process(Exchange exchange) {
        HttpCall call = exchange.getMessage().getBody(HttpCall.class);
        String token = BearerToken.of(call);
        Authentication result = BearerToken.authenticate(authenticator, token, call, LOG);
        if (result instanceof Authentication.PassThrough) {
            exchange.setProperty(PASS_THROUGH_TOKEN, token);
        } else if (result instanceof Authentication.Authenticated authenticated) {
            AUDIT.info("[{}] {} {} by subject {} of {} as user {} groups {}", call.correlationId(), call.head().method(),
                    call.head().path(), authenticated.subject(), authenticated.issuer(), authenticated.identity().user(),
                    authenticated.identity().groups());
        }
        exchange.setProperty(RESULT, result);
    }
}
