package dev.clusterconnect.sandbox.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** RFC 6902 JSON Patch: add, remove, replace, move, copy and test, with RFC 6901 pointers. */
public final class JsonPatch {

    private JsonPatch() {}

    /** Applies the operations in {@code patch} (a JSON array) to {@code target}, in place. */
    public static ObjectNode apply(ObjectNode target, JsonNode patch) {
        if (!patch.isArray()) {
            throw ApiException.badRequest("a JSON patch must be an array of operations");
        }
        for (JsonNode operation : patch) {
            String op = operation.path("op").asText();
            String path = operation.path("path").asText();
            switch (op) {
                case "add" -> add(target, path, value(operation));
                case "remove" -> remove(target, path);
                case "replace" -> {
                    remove(target, path);
                    add(target, path, value(operation));
                }
                case "move" ->
                    add(target, path, remove(target, operation.path("from").asText()));
                case "copy" ->
                    add(
                            target,
                            path,
                            find(target, operation.path("from").asText()).deepCopy());
                case "test" -> {
                    if (!find(target, path).equals(operation.get("value"))) {
                        throw ApiException.invalid(null, null, "the test operation failed at " + path);
                    }
                }
                default -> throw ApiException.badRequest("unknown JSON patch operation: " + op);
            }
        }
        return target;
    }

    private static JsonNode value(JsonNode operation) {
        if (!operation.has("value")) {
            throw ApiException.badRequest("missing value in JSON patch operation");
        }
        return operation.get("value").deepCopy();
    }

    private static void add(JsonNode root, String path, JsonNode value) {
        JsonNode parent = find(root, parentOf(path));
        String last = lastToken(path);
        if (parent instanceof ObjectNode object) {
            object.set(last, value);
        } else if (parent instanceof ArrayNode array) {
            if (last.equals("-")) {
                array.add(value);
            } else {
                array.insert(index(array, last, true), value);
            }
        } else {
            throw missing(path);
        }
    }

    private static JsonNode remove(JsonNode root, String path) {
        JsonNode parent = find(root, parentOf(path));
        String last = lastToken(path);
        JsonNode removed = null;
        if (parent instanceof ObjectNode object) {
            removed = object.remove(last);
        } else if (parent instanceof ArrayNode array) {
            removed = array.remove(index(array, last, false));
        }
        if (removed == null) {
            throw missing(path);
        }
        return removed;
    }

    private static JsonNode find(JsonNode root, String pointer) {
        JsonNode node = root.at(pointer.isEmpty() ? "" : pointer);
        if (node.isMissingNode()) {
            throw missing(pointer);
        }
        return node;
    }

    private static int index(ArrayNode array, String token, boolean forInsert) {
        try {
            int index = Integer.parseInt(token);
            if (index < 0 || index > array.size() || (!forInsert && index == array.size())) {
                throw missing(token);
            }
            return index;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid array index in JSON patch: " + token);
        }
    }

    private static String parentOf(String path) {
        int slash = path.lastIndexOf('/');
        if (slash < 0) {
            throw ApiException.badRequest("invalid JSON pointer: " + path);
        }
        return path.substring(0, slash);
    }

    private static String lastToken(String path) {
        return path.substring(path.lastIndexOf('/') + 1).replace("~1", "/").replace("~0", "~");
    }

    private static ApiException missing(String path) {
        return ApiException.invalid(null, null, "the JSON patch path does not exist: " + path);
    }
}
