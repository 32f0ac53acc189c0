package dev.clusterconnect.proxy;

import dev.clusterconnect.routes.http.HttpCall;
import java.util.function.Supplier;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Puts the user's token on every request. kubectl's kubeconfig for the proxy holds no credential:
 * the token stays in this process and is refreshed here.
 */
public final class UserToken implements Processor {

    private final Supplier<String> token;

    public UserToken(Supplier<String> token) {
        this.token = token;
    }

    @Override
    public void process(Exchange exchange) {
        HttpCall call = exchange.getMessage().getBody(HttpCall.class);
        call.head().headers().remove("Authorization");
        call.head().headers().set("Authorization", "Bearer " + token.get());
    }
}
