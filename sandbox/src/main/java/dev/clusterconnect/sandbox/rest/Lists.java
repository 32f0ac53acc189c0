package dev.clusterconnect.sandbox.rest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clusterconnect.sandbox.store.ApiException;
import dev.clusterconnect.sandbox.store.Json;
import dev.clusterconnect.sandbox.store.ObjectStore;
import dev.clusterconnect.sandbox.store.Objects;
import dev.clusterconnect.sandbox.store.ResourceType;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Builds list responses with {@code limit}/{@code continue} paging. The continue token holds the key
 * of the last item sent, so a page resumes after it even when objects came and went in between.
 */
final class Lists {

    private Lists() {}

    static ObjectNode page(ResourceType type, ObjectStore.Snapshot snapshot, long limit, String continueToken) {
        List<ObjectNode> items = snapshot.items();
        int start = continueToken.isEmpty() ? 0 : startAfter(items, decode(continueToken));
        int end = limit > 0 ? (int) Math.min(items.size(), start + limit) : items.size();
        ObjectNode list = Json.object().put("kind", type.listKind()).put("apiVersion", type.apiVersion());
        ObjectNode metadata =
                list.putObject("metadata").put("resourceVersion", Long.toString(snapshot.resourceVersion()));
        if (end < items.size()) {
            metadata.put("continue", encode(key(items.get(end - 1))));
            metadata.put("remainingItemCount", items.size() - end);
        }
        ArrayNode array = list.putArray("items");
        for (ObjectNode item : items.subList(start, end)) {
            // like the real apiserver, items of a typed list carry no kind or apiVersion of their own
            item.remove("kind");
            item.remove("apiVersion");
            array.add(item);
        }
        return list;
    }

    static long limit(String value) {
        try {
            return value.isEmpty() ? 0 : Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid limit: " + value);
        }
    }

    private static int startAfter(List<ObjectNode> items, String lastKey) {
        for (int i = 0; i < items.size(); i++) {
            if (key(items.get(i)).compareTo(lastKey) > 0) {
                return i;
            }
        }
        return items.size();
    }

    private static String key(ObjectNode item) {
        return Objects.key(Objects.namespace(item), Objects.name(item));
    }

    private static String encode(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String token) {
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ApiException(410, "Expired", "the provided continue parameter is not valid", null, null);
        }
    }
}
