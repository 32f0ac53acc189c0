package dev.clusterconnect.sandbox.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Read helpers for the metadata of stored objects. */
public final class Objects {

    private Objects() {}

    /** {@code metadata.name}, or {@code ""}. */
    public static String name(JsonNode object) {
        return object.path("metadata").path("name").asText("");
    }

    /** {@code metadata.namespace}, or {@code ""}. */
    public static String namespace(JsonNode object) {
        return object.path("metadata").path("namespace").asText("");
    }

    /** {@code metadata.resourceVersion} as a number, or 0 when absent. */
    public static long resourceVersion(JsonNode object) {
        String value = object.path("metadata").path("resourceVersion").asText("");
        if (value.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid resourceVersion: " + value);
        }
    }

    /** The {@code metadata} object, created when missing. */
    public static ObjectNode metadata(ObjectNode object) {
        JsonNode metadata = object.get("metadata");
        if (metadata instanceof ObjectNode node) {
            return node;
        }
        return object.putObject("metadata");
    }

    /** The store key of an object: {@code namespace/name}. */
    public static String key(String namespace, String name) {
        return (namespace == null ? "" : namespace) + "/" + name;
    }
}
