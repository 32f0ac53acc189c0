package dev.clusterconnect.proxy;

import dev.clusterconnect.routes.http.HttpCall;
import dev.clusterconnect.routes.status.KubeStatusException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.Supplier;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Swaps the local credential for the user's token. The local endpoint only serves callers that
 * present the random local token from the kubeconfig this proxy wrote (a 0600 file), so another
 * user or process on the machine cannot ride the user's identity through 127.0.0.1.
 */
public final class UserToken implements Processor {

    private final byte[] localToken;
    private final Supplier<String> token;

    public UserToken(String localToken, Supplier<String> token) {
        this.localToken = ("Bearer " + localToken).getBytes(StandardCharsets.UTF_8);
        this.token = token;
    }

    @Override
    public void process(Exchange exchange) {
        HttpCall call = exchange.getMessage().getBody(HttpCall.class);
        var presented = call.head().headers().getAll("Authorization");
        if (presented.size() != 1 || !MessageDigest.isEqual(localToken, presented.get(0).getBytes(StandardCharsets.UTF_8))) {
            throw new KubeStatusException(401, "this local endpoint serves the kubeconfig written by clusterconnect; use that context");
        }
        call.head().headers().set("Authorization", "Bearer " + userToken());
    }

    /**
     * The user's token; when there is none to be had (sign-in expired and the refresh refused, the
     * token file unreadable), a 401 that says why, which kubectl shows, rather than a bare 500.
     */
    private String userToken() {
        try {
            return token.get();
        } catch (dev.clusterconnect.proxy.token.TokenException e) {
            throw new KubeStatusException(401, "clusterconnect has no valid token for you: " + e.getMessage()
                    + "; restart clusterconnect proxy to sign in again");
        } catch (java.io.UncheckedIOException e) {
            throw new KubeStatusException(401, "clusterconnect cannot read your token: " + e.getMessage());
        }
    }
}
