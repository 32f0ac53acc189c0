package dev.clusterconnect.sandbox.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * JSON merge patch (RFC 7386) and an approximation of Kubernetes' strategic merge patch: lists of
 * objects that carry a well-known merge key ({@code name}, {@code containerPort}, ...) are merged
 * element by element instead of replaced, and {@code $}-directives are honoured or dropped. Good
 * enough for what {@code kubectl apply}, {@code edit} and {@code patch} send for the built-in kinds.
 */
public final class Patches {

    /** Merge keys of the lists kubectl patches most, tried in order. */
    private static final List<String> MERGE_KEYS = List.of("name", "containerPort", "mountPath", "port", "ip", "type");

    private Patches() {}

    /** Applies an RFC 7386 merge patch to {@code target} in place and returns it. */
    public static JsonNode mergePatch(JsonNode target, JsonNode patch) {
        return merge(target, patch, false);
    }

    /** Applies a strategic merge patch to {@code target} in place and returns it. */
    public static JsonNode strategicMergePatch(JsonNode target, JsonNode patch) {
        return merge(target, patch, true);
    }

    private static JsonNode merge(JsonNode target, JsonNode patch, boolean strategic) {
        if (!patch.isObject()) {
            return strategic ? stripDirectives(patch.deepCopy()) : patch;
        }
        if (strategic && "replace".equals(patch.path("$patch").asText())) {
            return stripDirectives(patch.deepCopy());
        }
        ObjectNode result = target != null && target.isObject() ? (ObjectNode) target : Json.object();
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String key = field.getKey();
            JsonNode value = field.getValue();
            if (strategic && key.startsWith("$")) {
                continue;
            }
            if (value.isNull()) {
                result.remove(key);
            } else if (strategic && value.isArray() && result.path(key).isArray()) {
                result.set(key, mergeList((ArrayNode) result.get(key), (ArrayNode) value));
            } else {
                result.set(key, merge(result.get(key), value, strategic));
            }
        }
        return result;
    }

    private static JsonNode mergeList(ArrayNode current, ArrayNode patch) {
        String mergeKey = mergeKey(current, patch);
        if (mergeKey == null) {
            return stripDirectives(patch.deepCopy());
        }
        ArrayNode result = current.deepCopy();
        for (JsonNode element : patch) {
            int index = indexOf(result, mergeKey, element.get(mergeKey));
            boolean delete = "delete".equals(element.path("$patch").asText());
            if (delete) {
                if (index >= 0) {
                    result.remove(index);
                }
            } else if (index >= 0) {
                result.set(index, merge(result.get(index), element, true));
            } else {
                result.add(stripDirectives(element.deepCopy()));
            }
        }
        return result;
    }

    private static String mergeKey(ArrayNode current, ArrayNode patch) {
        for (String key : MERGE_KEYS) {
            if (allObjectsWith(current, key) && allObjectsWith(patch, key) && (current.size() + patch.size()) > 0) {
                return key;
            }
        }
        return null;
    }

    private static boolean allObjectsWith(ArrayNode list, String key) {
        for (JsonNode element : list) {
            if (!element.isObject() || !element.has(key)) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(ArrayNode list, String key, JsonNode value) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).path(key).equals(value)) {
                return i;
            }
        }
        return -1;
    }

    private static JsonNode stripDirectives(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.properties().removeIf(e -> e.getKey().startsWith("$"));
            object.forEach(Patches::stripDirectives);
        } else if (node instanceof ArrayNode array) {
            array.forEach(Patches::stripDirectives);
        }
        return node;
    }
}
