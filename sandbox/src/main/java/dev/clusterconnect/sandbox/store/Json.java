package dev.clusterconnect.sandbox.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The one JSON (and YAML) mapper of the sandbox, plus helpers for the object trees it stores. */
public final class Json {

    /** Shared, thread-safe mapper. */
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Json() {}

    /** Parses a JSON object, answering 400 BadRequest for anything else. */
    public static ObjectNode parseObject(byte[] body) {
        return asObject(parse(MAPPER, body));
    }

    /** Parses YAML or JSON (JSON is YAML), as server-side apply bodies may be either. */
    public static ObjectNode parseYamlObject(byte[] body) {
        return asObject(parse(YAML, body));
    }

    /** Serializes a tree to compact JSON bytes. */
    public static byte[] bytes(Object tree) {
        try {
            return MAPPER.writeValueAsBytes(tree);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Serializes a tree to a compact JSON string. */
    public static String string(Object tree) {
        return new String(bytes(tree), StandardCharsets.UTF_8);
    }

    /** A new empty object node. */
    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    private static com.fasterxml.jackson.databind.JsonNode parse(ObjectMapper mapper, byte[] body) {
        try {
            return mapper.readTree(body);
        } catch (IOException e) {
            throw ApiException.badRequest("the body of the request could not be decoded: " + e.getMessage());
        }
    }

    private static ObjectNode asObject(com.fasterxml.jackson.databind.JsonNode node) {
        if (node instanceof ObjectNode object) {
            return object;
        }
        throw ApiException.badRequest("the body of the request must be a JSON object");
    }
}
