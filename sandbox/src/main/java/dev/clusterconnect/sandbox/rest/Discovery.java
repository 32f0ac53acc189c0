package dev.clusterconnect.sandbox.rest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clusterconnect.sandbox.store.Json;
import dev.clusterconnect.sandbox.store.ResourceCatalog;
import dev.clusterconnect.sandbox.store.ResourceType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Legacy (unaggregated) discovery documents. kubectl 1.30+ asks for aggregated discovery first but
 * accepts these, told apart by the plain {@code application/json} content type, and then fetches
 * each group version: that fallback is what the sandbox relies on.
 */
public final class Discovery {

    /** Group versions that serve review resources only, beside those of the stored types. */
    private static final Map<String, List<ObjectNode>> REVIEWS = Map.of(
            "authentication.k8s.io/v1",
            List.of(resource("selfsubjectreviews", "SelfSubjectReview", false, "create")),
            "authorization.k8s.io/v1",
            List.of(resource("selfsubjectaccessreviews", "SelfSubjectAccessReview", false, "create")));

    private Discovery() {}

    /** {@code /version}. */
    public static ObjectNode version() {
        return Json.object()
                .put("major", "1")
                .put("minor", "32")
                .put("gitVersion", "v1.32.0-sandbox")
                .put("gitCommit", "0000000000000000000000000000000000000000")
                .put("gitTreeState", "clean")
                .put("buildDate", "2024-12-11T00:00:00Z")
                .put("goVersion", "go1.23.3")
                .put("compiler", "gc")
                .put("platform", "linux/amd64");
    }

    /** {@code /api}. */
    public static ObjectNode coreVersions(String serverAddress) {
        ObjectNode versions = Json.object().put("kind", "APIVersions");
        versions.putArray("versions").add("v1");
        versions.putArray("serverAddressByClientCIDRs")
                .addObject()
                .put("clientCIDR", "0.0.0.0/0")
                .put("serverAddress", serverAddress);
        return versions;
    }

    /** {@code /apis}. */
    public static ObjectNode groups() {
        ObjectNode list = Json.object().put("kind", "APIGroupList").put("apiVersion", "v1");
        ArrayNode groups = list.putArray("groups");
        for (String groupVersion : groupVersions()) {
            if (!groupVersion.contains("/")) {
                continue;
            }
            String[] parts = groupVersion.split("/");
            ObjectNode group = groups.addObject().put("name", parts[0]);
            ObjectNode version = Json.object().put("groupVersion", groupVersion).put("version", parts[1]);
            group.putArray("versions").add(version);
            group.set("preferredVersion", version.deepCopy());
        }
        return list;
    }

    /** {@code /api/v1} or {@code /apis/<group>/<version>}; empty for unknown group versions. */
    public static Optional<ObjectNode> resources(String groupVersion) {
        if (!groupVersions().contains(groupVersion)) {
            return Optional.empty();
        }
        ObjectNode list = Json.object()
                .put("kind", "APIResourceList")
                .put("apiVersion", "v1")
                .put("groupVersion", groupVersion);
        ArrayNode resources = list.putArray("resources");
        for (ResourceType type : ResourceCatalog.ALL) {
            if (type.apiVersion().equals(groupVersion)) {
                resources.add(describe(type));
                type.subresources().forEach(sub -> resources.add(subresource(type, sub)));
            }
        }
        REVIEWS.getOrDefault(groupVersion, List.of()).forEach(resources::add);
        return Optional.of(list);
    }

    /** Every group version served, core first. */
    public static List<String> groupVersions() {
        Map<String, Boolean> versions = new LinkedHashMap<>();
        ResourceCatalog.ALL.forEach(t -> versions.put(t.apiVersion(), true));
        versions.put("authentication.k8s.io/v1", true);
        versions.put("authorization.k8s.io/v1", true);
        return List.copyOf(versions.keySet());
    }

    private static ObjectNode describe(ResourceType type) {
        ObjectNode resource = resource(
                type.plural(),
                type.kind(),
                type.namespaced(),
                "create",
                "delete",
                "deletecollection",
                "get",
                "list",
                "patch",
                "update",
                "watch");
        resource.put("singularName", type.singular());
        if (!type.shortNames().isEmpty()) {
            ArrayNode shortNames = resource.putArray("shortNames");
            type.shortNames().forEach(shortNames::add);
        }
        if (ResourceCatalog.CATEGORY_ALL.contains(type)) {
            resource.putArray("categories").add("all");
        }
        return resource;
    }

    private static ObjectNode subresource(ResourceType type, String sub) {
        String name = type.plural() + "/" + sub;
        return switch (sub) {
            case "log" -> resource(name, "Pod", true, "get");
            case "exec" -> resource(name, "PodExecOptions", true, "create", "get");
            case "attach" -> resource(name, "PodAttachOptions", true, "create", "get");
            case "portforward" -> resource(name, "PodPortForwardOptions", true, "create", "get");
            case "scale" ->
                resource(name, "Scale", true, "get", "patch", "update")
                        .put("group", "autoscaling")
                        .put("version", "v1");
            default -> resource(name, type.kind(), type.namespaced(), "get", "patch", "update");
        };
    }

    private static ObjectNode resource(String name, String kind, boolean namespaced, String... verbs) {
        ObjectNode resource = Json.object()
                .put("name", name)
                .put("singularName", "")
                .put("namespaced", namespaced)
                .put("kind", kind);
        ArrayNode verbList = resource.putArray("verbs");
        for (String verb : verbs) {
            verbList.add(verb);
        }
        return resource;
    }
}
