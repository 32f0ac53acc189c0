package dev.clusterconnect.agent.steps;

import dev.clusterconnect.routes.http.HttpCall;
import java.util.function.Supplier;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Step 3: the agent calls the apiserver as itself and asks to act as the caller's identity. Until
 * token authentication lands, the identity comes from configuration.
 */
public final class Impersonate implements Processor {

    private final Supplier<String> agentToken;
    private final String user;

    public Impersonate(Supplier<String> agentToken, String user) {
        this.agentToken = agentToken;
        this.user = user;
    }

    @Override
    public void process(Exchange exchange) {
        HttpCall call = exchange.getMessage().getBody(HttpCall.class);
        call.head().headers().set("Authorization", "Bearer " + agentToken.get());
        call.head().headers().set("Impersonate-User", user);
    }
}
