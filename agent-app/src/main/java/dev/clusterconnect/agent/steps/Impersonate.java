package dev.clusterconnect.agent.steps;

import dev.clusterconnect.routes.http.HttpCall;
import dev.clusterconnect.routes.identity.Authentication;
import dev.clusterconnect.routes.identity.ImpersonationHeaders;
import java.util.function.Supplier;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Step 4: the agent calls the apiserver as itself and asks to act as the authenticated caller
 * (user, one header per group, uid, extras). A service-account token, when pass-through is
 * enabled, goes to the apiserver unchanged and without impersonation: the apiserver authenticates
 * it itself.
 */
public final class Impersonate implements Processor {

    private final Supplier<String> agentToken;

    public Impersonate(Supplier<String> agentToken) {
        this.agentToken = agentToken;
    }

    @Override
    public void process(Exchange exchange) {
        HttpCall call = exchange.getMessage().getBody(HttpCall.class);
        Authentication result = exchange.getProperty(Authenticate.RESULT, Authentication.class);
        var headers = call.head().headers();
        if (result instanceof Authentication.Authenticated authenticated) {
            headers.set("Authorization", "Bearer " + agentToken.get());
            // Values come as their UTF-8 bytes, one per character, which is what Netty writes: added as they are.
            for (ImpersonationHeaders.Header header : ImpersonationHeaders.of(authenticated.identity())) {
                headers.add(header.name(), header.value());
            }
        } else if (result instanceof Authentication.PassThrough) {
            headers.set(
                    "Authorization", "Bearer " + exchange.getProperty(Authenticate.PASS_THROUGH_TOKEN, String.class));
        } else {
            throw new IllegalStateException("impersonation without an authenticated caller");
        }
    }
}
