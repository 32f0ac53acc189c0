package dev.clusterconnect.agent.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.ECKey;
import java.io.IOException;
import java.text.ParseException;

/**
 * The agent's private key as kept between runs, and whether the relay has confirmed it. A key is
 * kept before it is enrolled, so an agent that crashes in between retries with the same key (the
 * relay answers a repeated enrolment of the same key as a success).
 */
public record StoredKey(ECKey key, boolean enrolled) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public StoredKey {
        if (!key.isPrivate()) {
            throw new IllegalArgumentException("the stored agent key must include its private part");
        }
    }

    public StoredKey asEnrolled() {
        return new StoredKey(key, true);
    }

    /** JSON holding the private key: write it only to 0600 files or Secrets. */
    public String toJson() {
        try {
            ObjectNode node = JSON.createObjectNode().put("enrolled", enrolled);
            node.set("jwk", JSON.readTree(key.toJSONString()));
            return node.toString();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static StoredKey parse(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            return new StoredKey(
                    ECKey.parse(node.path("jwk").toString()),
                    node.path("enrolled").asBoolean(false));
        } catch (IOException | ParseException e) {
            // Never quote the content: it is a private key.
            throw new IllegalArgumentException("the stored agent key is not readable");
        }
    }

    @Override
    public String toString() {
        return "StoredKey[kid=" + key.getKeyID() + ", enrolled=" + enrolled + "]";
    }
}
