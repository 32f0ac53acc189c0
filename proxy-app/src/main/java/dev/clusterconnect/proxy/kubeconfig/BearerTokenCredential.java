package dev.clusterconnect.proxy.kubeconfig;

import java.util.Map;
import java.util.Objects;

/**
 * A fixed bearer token written into the kubeconfig ({@code users[].user.token}). Prefer an
 * exec plugin for tokens that expire; this suits the short-lived file the local proxy writes for
 * a CI job.
 *
 * @param token the bearer token, never printed by {@link #toString()}
 */
public record BearerTokenCredential(String token) implements UserCredential {

    /** Checks the token is present. */
    public BearerTokenCredential {
        Objects.requireNonNull(token, "token");
        if (token.isBlank()) {
            throw new IllegalArgumentException("token must not be blank");
        }
    }

    @Override
    public Map<String, Object> userFields() {
        return Map.of("token", token);
    }

    @Override
    public String toString() {
        return "BearerTokenCredential[token=<redacted>]";
    }
}
