package dev.clusterconnect.sandbox.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clusterconnect.sandbox.store.ApiException;
import dev.clusterconnect.sandbox.store.Objects;
import dev.clusterconnect.sandbox.store.Patches;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small model of server-side apply: each applying manager owns the leaf fields of its last
 * applied configuration. Applying merges the configuration into the object, removes fields the
 * manager owned before but no longer applies, and refuses (409 Conflict) to change a value owned by
 * another applier unless {@code force=true}, which moves the ownership instead. Lists are owned as a
 * whole.
 */
final class ServerSideApply {

    private static final String APPLY = "Apply";

    private ServerSideApply() {}

    /** The object after {@code manager} applies {@code applied} to {@code current} (null to create). */
    static ObjectNode apply(ObjectNode current, ObjectNode applied, String manager, boolean force) {
        List<List<String>> paths = ManagedFields.leafPaths(applied);
        String apiVersion = applied.path("apiVersion").asText();
        if (current == null) {
            ObjectNode created = applied.deepCopy();
            ManagedFields.put(created, manager, APPLY, ManagedFields.toFieldsV1(paths), apiVersion);
            return created;
        }
        Map<String, Set<List<String>>> others = otherAppliers(current, manager);
        Map<List<String>, String> conflicts = conflicts(current, applied, paths, others);
        if (!conflicts.isEmpty() && !force) {
            throw conflictError(conflicts, apiVersion, Objects.name(current));
        }
        conflicts.forEach((path, owner) -> others.get(owner).remove(path));
        Set<List<String>> ownedByOthers = new HashSet<>();
        others.values().forEach(ownedByOthers::addAll);
        ObjectNode next = current.deepCopy();
        for (List<String> dropped : ownedBy(current, manager)) {
            if (!paths.contains(dropped) && !ownedByOthers.contains(dropped)) {
                remove(next, dropped);
            }
        }
        Patches.strategicMergePatch(next, applied);
        others.forEach((owner, owned) ->
                ManagedFields.put(next, owner, APPLY, ManagedFields.toFieldsV1(new ArrayList<>(owned)), apiVersion));
        ManagedFields.put(next, manager, APPLY, ManagedFields.toFieldsV1(paths), apiVersion);
        return next;
    }

    private static Map<List<String>, String> conflicts(
            ObjectNode current, ObjectNode applied, List<List<String>> paths, Map<String, Set<List<String>>> others) {
        Map<List<String>, String> conflicts = new LinkedHashMap<>();
        for (List<String> path : paths) {
            for (Map.Entry<String, Set<List<String>>> other : others.entrySet()) {
                if (other.getValue().contains(path) && !at(current, path).equals(at(applied, path))) {
                    conflicts.put(path, other.getKey());
                }
            }
        }
        return conflicts;
    }

    private static ApiException conflictError(Map<List<String>, String> conflicts, String apiVersion, String name) {
        StringBuilder message = new StringBuilder("Apply failed with ")
                .append(conflicts.size())
                .append(conflicts.size() == 1 ? " conflict: " : " conflicts: ");
        List<String> parts = new ArrayList<>();
        conflicts.forEach((path, owner) ->
                parts.add("conflict with \"" + owner + "\" using " + apiVersion + ": ." + String.join(".", path)));
        message.append(String.join("; ", parts));
        return new ApiException(409, "Conflict", message.toString(), null, name);
    }

    private static Map<String, Set<List<String>>> otherAppliers(ObjectNode current, String manager) {
        Map<String, Set<List<String>>> owners = new LinkedHashMap<>();
        for (JsonNode entry : current.path("metadata").path("managedFields")) {
            String owner = entry.path("manager").asText();
            if (APPLY.equals(entry.path("operation").asText()) && !owner.equals(manager)) {
                owners.put(owner, new HashSet<>(ManagedFields.fromFieldsV1(entry.path("fieldsV1"))));
            }
        }
        return owners;
    }

    private static List<List<String>> ownedBy(ObjectNode current, String manager) {
        for (JsonNode entry : current.path("metadata").path("managedFields")) {
            if (APPLY.equals(entry.path("operation").asText())
                    && manager.equals(entry.path("manager").asText())) {
                return ManagedFields.fromFieldsV1(entry.path("fieldsV1"));
            }
        }
        return List.of();
    }

    private static JsonNode at(JsonNode root, List<String> path) {
        JsonNode node = root;
        for (String key : path) {
            node = node.path(key);
        }
        return node;
    }

    private static void remove(ObjectNode root, List<String> path) {
        JsonNode parent = at(root, path.subList(0, path.size() - 1));
        if (parent instanceof ObjectNode object) {
            object.remove(path.get(path.size() - 1));
        }
    }
}
