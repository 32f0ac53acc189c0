package dev.clusterconnect.sandbox.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clusterconnect.sandbox.http.ApiRequest;
import dev.clusterconnect.sandbox.store.Json;
import dev.clusterconnect.sandbox.store.Objects;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * {@code metadata.managedFields}: who last wrote an object and, for server-side apply, which fields
 * each manager owns, as {@code FieldsV1} trees ({@code {"f:data":{"f:key":{}}}}).
 */
final class ManagedFields {

    private ManagedFields() {}

    /** The field manager of a request: {@code fieldManager}, else the User-Agent's program name. */
    static String manager(ApiRequest request) {
        String explicit = request.query("fieldManager", "");
        if (!explicit.isEmpty()) {
            return explicit;
        }
        String agent = request.http().headers().get(HttpHeaderNames.USER_AGENT, "unknown");
        int slash = agent.indexOf('/');
        return slash > 0 ? agent.substring(0, slash) : agent;
    }

    /** Records a non-apply write (operation {@code Update}) by the request's manager. */
    static void recordUpdate(ObjectNode object, ApiRequest request, String operation) {
        put(
                object,
                manager(request),
                operation,
                Json.object(),
                object.path("apiVersion").asText());
    }

    /** Replaces the entry of {@code manager} and {@code operation} with new owned fields. */
    static void put(ObjectNode object, String manager, String operation, ObjectNode fields, String apiVersion) {
        ArrayNode entries = entries(object);
        for (Iterator<JsonNode> it = entries.iterator(); it.hasNext(); ) {
            JsonNode entry = it.next();
            if (manager.equals(entry.path("manager").asText())
                    && operation.equals(entry.path("operation").asText())) {
                it.remove();
            }
        }
        ObjectNode entry = entries.addObject();
        entry.put("manager", manager).put("operation", operation).put("apiVersion", apiVersion);
        entry.put("time", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        entry.put("fieldsType", "FieldsV1").set("fieldsV1", fields);
    }

    /** The managedFields array, created when missing. */
    static ArrayNode entries(ObjectNode object) {
        ObjectNode metadata = Objects.metadata(object);
        JsonNode entries = metadata.get("managedFields");
        return entries instanceof ArrayNode array ? array : metadata.putArray("managedFields");
    }

    /** The leaf paths of an applied configuration; lists and empty objects count as leaves. */
    static List<List<String>> leafPaths(JsonNode node) {
        List<List<String>> paths = new ArrayList<>();
        collect(node, new ArrayList<>(), paths);
        paths.removeIf(p -> p.equals(List.of("apiVersion"))
                || p.equals(List.of("kind"))
                || p.equals(List.of("metadata", "name"))
                || p.equals(List.of("metadata", "namespace"))
                || (!p.isEmpty() && p.get(0).equals("status")));
        return paths;
    }

    /** Encodes leaf paths as a FieldsV1 tree. */
    static ObjectNode toFieldsV1(List<List<String>> paths) {
        ObjectNode root = Json.object();
        for (List<String> path : paths) {
            ObjectNode node = root;
            for (String key : path) {
                node = node.withObjectProperty("f:" + key);
            }
        }
        return root;
    }

    /** Decodes a FieldsV1 tree into leaf paths. */
    static List<List<String>> fromFieldsV1(JsonNode fields) {
        List<List<String>> paths = new ArrayList<>();
        decode(fields, new ArrayList<>(), paths);
        return paths;
    }

    private static void collect(JsonNode node, List<String> prefix, List<List<String>> paths) {
        if (node.isObject() && node.size() > 0) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                List<String> path = new ArrayList<>(prefix);
                path.add(field.getKey());
                collect(field.getValue(), path, paths);
            }
        } else if (!prefix.isEmpty()) {
            paths.add(List.copyOf(prefix));
        }
    }

    private static void decode(JsonNode node, List<String> prefix, List<List<String>> paths) {
        boolean leaf = true;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().startsWith("f:")) {
                leaf = false;
                List<String> path = new ArrayList<>(prefix);
                path.add(field.getKey().substring(2));
                decode(field.getValue(), path, paths);
            }
        }
        if (leaf && !prefix.isEmpty()) {
            paths.add(List.copyOf(prefix));
        }
    }
}
