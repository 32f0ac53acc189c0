package dev.clusterconnect.routes.identity;

import com.nimbusds.jose.KeySourceException;
import java.util.concurrent.CompletableFuture;

/**
 * An issuer's keys are being fetched and the caller asked not to wait: it may wait on
 * {@link #fetch()} without holding a thread, then try again.
 */
final class KeysPendingException extends KeySourceException {

    private final transient CompletableFuture<Void> fetch;

    KeysPendingException(String issuer, CompletableFuture<Void> fetch) {
        super("keys of " + issuer + " are not available yet");
        this.fetch = fetch;
    }

    CompletableFuture<Void> fetch() {
        return fetch;
    }
}
