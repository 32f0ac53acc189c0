package dev.clusterconnect.proxy.exec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clusterconnect.proxy.token.Token;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code ExecCredential} object a client-go credential plugin prints on standard output:
 * {@code {"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential",
 * "status":{"token":"...","expirationTimestamp":"..."}}}. kubectl reuses the token until the
 * expiration timestamp, then runs the plugin again.
 */
public final class ExecCredential {

    /** The API version written into the credential and the kubeconfig exec stanza. */
    public static final String API_VERSION = "client.authentication.k8s.io/v1";

    private ExecCredential() {}

    /** Loaded on the first write only: reading a cached credential must not load Jackson. */
    private static final class Writer {
        private static final ObjectMapper MAPPER = new ObjectMapper();

        static String toJson(Token token) {
            ObjectNode credential =
                    MAPPER.createObjectNode().put("apiVersion", API_VERSION).put("kind", "ExecCredential");
            ObjectNode status = credential.putObject("status").put("token", token.value());
            // RFC 3339 in UTC, whole seconds, as Kubernetes' metav1.Time writes it
            token.expiry()
                    .ifPresent(at -> status.put(
                            "expirationTimestamp",
                            at.truncatedTo(ChronoUnit.SECONDS).toString()));
            try {
                return MAPPER.writeValueAsString(credential);
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * @param token the token; its expiry, if known, becomes {@code expirationTimestamp}
     * @return the JSON document, one line
     */
    public static String toJson(Token token) {
        return Writer.toJson(token);
    }

    /**
     * Reads back what {@link #toJson(Token)} wrote.
     *
     * @param json an ExecCredential document
     * @return the token, or empty if the document is not a v1 ExecCredential with a token
     */
    public static Optional<Token> fromJson(String json) {
        try {
            if (!(CacheJson.parse(json) instanceof Map<?, ?> credential)
                    || !API_VERSION.equals(credential.get("apiVersion"))
                    || !"ExecCredential".equals(credential.get("kind"))
                    || !(credential.get("status") instanceof Map<?, ?> status)
                    || !(status.get("token") instanceof String value)
                    || value.isBlank()) {
                return Optional.empty();
            }
            Object expiry = status.get("expirationTimestamp");
            if (expiry == null) {
                return Optional.of(new Token(value, null));
            }
            return expiry instanceof String at ? Optional.of(new Token(value, Instant.parse(at))) : Optional.empty();
        } catch (IllegalArgumentException | DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
