package dev.clusterconnect.proxy;

import dev.clusterconnect.routes.http.AsyncSteps;
import dev.clusterconnect.routes.http.HttpCall;
import dev.clusterconnect.routes.status.KubeStatusException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;

/**
 * Swaps the local credential for the user's token. The local endpoint only serves callers that
 * present the random local token from the kubeconfig this proxy wrote (a 0600 file), so another
 * user or process on the machine cannot ride the user's identity through 127.0.0.1.
 *
 * <p>This step runs on the local endpoint's event loop. A token at hand (cached and fresh) is
 * used there; getting a new one (an identity provider's refresh, a credential command) blocks,
 * so it runs on {@code blocking} and the request goes on from there: one refresh never stalls the
 * other kubectl streams on that loop.
 */
public final class UserToken extends AsyncProcessorSupport {

    private final byte[] localToken;
    private final Supplier<Optional<String>> atHand;
    private final Supplier<String> fetch;
    private final Executor blocking;

    /**
     * @param atHand the user's token when it can be had without waiting (no I/O), else empty
     * @param fetch the user's token, waiting for it as long as it takes
     * @param blocking where {@code fetch} runs
     */
    public UserToken(String localToken, Supplier<Optional<String>> atHand, Supplier<String> fetch, Executor blocking) {
        this.localToken = ("Bearer " + localToken).getBytes(StandardCharsets.UTF_8);
        this.atHand = atHand;
        this.fetch = fetch;
        this.blocking = blocking;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        HttpCall call = exchange.getMessage().getBody(HttpCall.class);
        try {
            var presented = call.head().headers().getAll("Authorization");
            if (presented.size() != 1
                    || !MessageDigest.isEqual(localToken, presented.get(0).getBytes(StandardCharsets.UTF_8))) {
                throw new KubeStatusException(
                        401, "this local endpoint serves the kubeconfig written by clusterconnect; use that context");
            }
            Optional<String> now = atHand.get();
            if (now.isPresent()) {
                call.head().headers().set("Authorization", "Bearer " + now.get());
                callback.done(true);
                return true;
            }
        } catch (RuntimeException e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        CompletableFuture<String> token = CompletableFuture.supplyAsync(this::userToken, blocking);
        return AsyncSteps.finish(
                exchange, callback, token, value -> call.head().headers().set("Authorization", "Bearer " + value));
    }

    /**
     * The user's token; when there is none to be had (sign-in expired and the refresh refused, the
     * token file unreadable), a 401 that says why, which kubectl shows, rather than a bare 500.
     */
    private String userToken() {
        try {
            return fetch.get();
        } catch (dev.clusterconnect.proxy.token.TokenException e) {
            throw new KubeStatusException(
                    401,
                    "clusterconnect has no valid token for you: " + e.getMessage()
                            + "; restart clusterconnect proxy to sign in again");
        } catch (java.io.UncheckedIOException e) {
            throw new KubeStatusException(401, "clusterconnect cannot read your token: " + e.getMessage());
        }
    }
}
