package dev.clusterconnect.relay.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Set;

/**
 * Checks that a JWK is a public key before it is stored, and compacts it. Refusing private
 * members here means a confused caller cannot park an agent's private key in the database.
 */
final class PublicJwk {

    private static final ObjectMapper JSON = new ObjectMapper();
    // RFC 7518 §6.2.2, §6.3.2 and §6.4: members that only private or symmetric keys have.
    private static final Set<String> PRIVATE_MEMBERS = Set.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");
    private static final int MAX_LENGTH = 8192;

    private PublicJwk() {}

    /**
     * @return the JWK re-serialised without insignificant whitespace
     * @throws IllegalArgumentException if it is not a JSON object with "kty", carries private
     *     key material, or names a different "kid"
     */
    static String validate(String kid, String jwk) {
        JsonNode node = parse(jwk);
        if (!node.isObject() || !node.path("kty").isTextual()) {
            throw new IllegalArgumentException("JWK must be a JSON object with a \"kty\" member");
        }
        for (String member : PRIVATE_MEMBERS) {
            if (node.has(member)) {
                // Name the member, never its value.
                throw new IllegalArgumentException("JWK holds private key member \"" + member + "\"");
            }
        }
        if (node.has("kid") && !kid.equals(node.get("kid").asText())) {
            throw new IllegalArgumentException("JWK \"kid\" differs from the key id given");
        }
        String compact = node.toString();
        if (compact.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("JWK longer than " + MAX_LENGTH + " characters");
        }
        return compact;
    }

    private static JsonNode parse(String jwk) {
        if (jwk == null) {
            throw new IllegalArgumentException("JWK is missing");
        }
        try {
            return JSON.readTree(jwk);
        } catch (JsonProcessingException e) {
            // The parser's message can quote the input, which might be key material: leave it out.
            throw new IllegalArgumentException("JWK is not valid JSON");
        }
    }
}
