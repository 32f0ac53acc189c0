package dev.clusterconnect.routes.identity;

import java.util.List;
import java.util.StringJoiner;

/**
 * Claim values quoted in a refusal message, so the operator sees what the identity provider sent
 * (Keycloak's {@code ["account"]} where {@code clusterconnect} was expected). The message is logged
 * and sent back in a header, and any repository on GitHub can choose its token's {@code aud}, so
 * only short printable ASCII values are quoted; anything else is described by its length only.
 */
final class ClaimText {

    /**
     * Enough for every audience seen in practice (Entra's {@code api://<uuid>} is 42), while a full
     * list still fits the 512 characters of a warning header with the rest of the message.
     */
    static final int MAX_VALUE_CHARS = 64;

    static final int MAX_VALUES = 3;

    private ClaimText() {}

    /** The values as a list for a message, e.g. {@code ["account", "broker"]}. */
    static String shown(List<String> values) {
        StringJoiner list = new StringJoiner(", ", "[", "]");
        values.stream().limit(MAX_VALUES).forEach(value -> list.add(quoted(value)));
        if (values.size() > MAX_VALUES) {
            list.add((values.size() - MAX_VALUES) + " more");
        }
        return list.toString();
    }

    private static String quoted(String value) {
        if (value.length() > MAX_VALUE_CHARS || !value.chars().allMatch(ClaimText::quotable)) {
            return "(" + value.length() + " characters, not shown)";
        }
        return "\"" + value + "\"";
    }

    /** Visible ASCII, without the quote and backslash that would need escaping in JSON and headers. */
    private static boolean quotable(int c) {
        return c > 0x20 && c < 0x7f && c != '"' && c != '\\';
    }
}
