package dev.clusterconnect.sandbox;

import dev.clusterconnect.sandbox.auth.Identity;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One request as the sandbox received it.
 *
 * @param method HTTP method
 * @param uri path and query, as sent
 * @param headers every header line in arrival order, names in the case they were sent, duplicates kept
 * @param identity who the request acted as after impersonation; {@code null} if authentication failed
 * @param body the request body ({@code byte[0]} when none)
 * @param receivedAt when the request was received
 */
public record RecordedRequest(
        String method,
        String uri,
        List<Map.Entry<String, String>> headers,
        Identity identity,
        byte[] body,
        Instant receivedAt) {

    /** Freezes the header list. */
    public RecordedRequest {
        headers = List.copyOf(headers);
    }

    /** The path without the query. */
    public String path() {
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }

    /** All values of a header, matching its name without regard to case. */
    public List<String> headers(String name) {
        return headers.stream()
                .filter(h -> h.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue)
                .toList();
    }

    /** The first value of a header, matching its name without regard to case. */
    public Optional<String> header(String name) {
        return headers(name).stream().findFirst();
    }

    /** Whether any header's name starts with {@code prefix}, without regard to case. */
    public boolean hasHeaderStartingWith(String prefix) {
        return headers.stream().anyMatch(h -> h.getKey().regionMatches(true, 0, prefix, 0, prefix.length()));
    }

    /** The body as UTF-8 text. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return method + " " + uri + " as " + (identity == null ? "<unauthenticated>" : identity.username());
    }
}
