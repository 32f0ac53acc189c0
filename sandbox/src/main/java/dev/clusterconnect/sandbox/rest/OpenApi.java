package dev.clusterconnect.sandbox.rest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clusterconnect.sandbox.store.Json;
import dev.clusterconnect.sandbox.store.ResourceCatalog;
import dev.clusterconnect.sandbox.store.ResourceType;
import java.util.Optional;

/**
 * Just enough OpenAPI v3 for kubectl: an index of group versions and, per group version, the PATCH
 * operations with their {@code fieldValidation} parameter. kubectl reads that to learn that the
 * server validates fields itself, and then skips client-side schema validation (which would need
 * the full schemas this sandbox does not have).
 */
public final class OpenApi {

    private static final String ROOT = "/openapi/v3";

    private OpenApi() {}

    /** The document served at {@code path}, if any. */
    public static Optional<ObjectNode> document(String path) {
        if (path.equals(ROOT) || path.equals(ROOT + "/")) {
            return Optional.of(index());
        }
        if (!path.startsWith(ROOT + "/")) {
            return Optional.empty();
        }
        String groupVersion = path.substring(ROOT.length() + 1);
        String apiVersion = groupVersion.equals("api/v1")
                ? "v1"
                : groupVersion.startsWith("apis/") ? groupVersion.substring("apis/".length()) : null;
        if (apiVersion == null || !Discovery.groupVersions().contains(apiVersion)) {
            return Optional.empty();
        }
        return Optional.of(groupVersionDocument(apiVersion));
    }

    private static ObjectNode index() {
        ObjectNode paths = Json.object();
        for (String apiVersion : Discovery.groupVersions()) {
            String key = apiVersion.equals("v1") ? "api/v1" : "apis/" + apiVersion;
            paths.putObject(key).put("serverRelativeURL", ROOT + "/" + key + "?hash=sandbox");
        }
        ObjectNode index = Json.object();
        index.set("paths", paths);
        return index;
    }

    private static ObjectNode groupVersionDocument(String apiVersion) {
        ObjectNode document = Json.object().put("openapi", "3.0.0");
        document.putObject("info").put("title", "Kubernetes").put("version", "v1.32.0-sandbox");
        ObjectNode paths = document.putObject("paths");
        for (ResourceType type : ResourceCatalog.ALL) {
            if (type.apiVersion().equals(apiVersion)) {
                String prefix = (type.group().isEmpty() ? "/api/v1" : "/apis/" + apiVersion)
                        + (type.namespaced() ? "/namespaces/{namespace}/" : "/") + type.plural() + "/{name}";
                paths.putObject(prefix).set("patch", patchOperation(type));
            }
        }
        document.putObject("components").putObject("schemas");
        return document;
    }

    private static ObjectNode patchOperation(ResourceType type) {
        ObjectNode operation = Json.object().put("operationId", "patch" + type.kind());
        operation
                .putObject("x-kubernetes-group-version-kind")
                .put("group", type.group())
                .put("version", type.version())
                .put("kind", type.kind());
        operation.put("x-kubernetes-action", "patch");
        ArrayNode parameters = operation.putArray("parameters");
        for (String name : new String[] {"dryRun", "fieldManager", "fieldValidation", "force"}) {
            parameters
                    .addObject()
                    .put("name", name)
                    .put("in", "query")
                    .putObject("schema")
                    .put("type", "string");
        }
        operation.putObject("responses").putObject("200").put("description", "OK");
        return operation;
    }
}
