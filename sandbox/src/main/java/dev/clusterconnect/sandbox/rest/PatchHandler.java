package dev.clusterconnect.sandbox.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clusterconnect.sandbox.http.ApiRequest;
import dev.clusterconnect.sandbox.http.Responses;
import dev.clusterconnect.sandbox.store.ApiException;
import dev.clusterconnect.sandbox.store.Json;
import dev.clusterconnect.sandbox.store.JsonPatch;
import dev.clusterconnect.sandbox.store.ObjectStore;
import dev.clusterconnect.sandbox.store.Objects;
import dev.clusterconnect.sandbox.store.Patches;
import dev.clusterconnect.sandbox.store.ResourceType;
import io.netty.channel.ChannelHandlerContext;
import java.util.function.UnaryOperator;

/** PATCH in the four content types the apiserver accepts, server-side apply included. */
final class PatchHandler {

    static final String JSON_PATCH = "application/json-patch+json";
    static final String MERGE_PATCH = "application/merge-patch+json";
    static final String STRATEGIC = "application/strategic-merge-patch+json";
    static final String APPLY = "application/apply-patch+yaml";

    private final ObjectStore store;

    PatchHandler(ObjectStore store) {
        this.store = store;
    }

    void patch(ChannelHandlerContext ctx, ApiRequest request, ResourceType type) {
        String namespace = RestHandler.namespace(request);
        String name = request.path().name();
        if (request.contentType().equals(APPLY)) {
            apply(ctx, request, type, namespace, name);
            return;
        }
        UnaryOperator<ObjectNode> change = changeFor(request, type, name);
        Responses.json(ctx, request.http(), 200, store.modify(type, namespace, name, change, request.dryRun()));
    }

    private UnaryOperator<ObjectNode> changeFor(ApiRequest request, ResourceType type, String name) {
        String contentType = request.contentType();
        if (contentType.equals(JSON_PATCH)) {
            JsonNode operations = parse(request);
            return current -> checked(type, name, JsonPatch.apply(current, operations), request);
        }
        if (!contentType.equals(MERGE_PATCH) && !contentType.equals(STRATEGIC)) {
            throw ApiException.unsupportedMediaType(contentType);
        }
        ObjectNode patch = Json.parseObject(request.body());
        long expected = Objects.resourceVersion(patch);
        boolean strategic = contentType.equals(STRATEGIC);
        return current -> {
            if (expected != 0 && expected != Objects.resourceVersion(current)) {
                throw ApiException.conflict(type.qualifiedName(), name);
            }
            JsonNode next =
                    strategic ? Patches.strategicMergePatch(current, patch) : Patches.mergePatch(current, patch);
            return checked(type, name, (ObjectNode) next, request);
        };
    }

    private void apply(
            ChannelHandlerContext ctx, ApiRequest request, ResourceType type, String namespace, String name) {
        String manager = request.query("fieldManager", "");
        if (manager.isEmpty()) {
            throw ApiException.badRequest("PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: "
                    + "is required for apply patch");
        }
        ObjectNode applied = Json.parseYamlObject(request.body());
        if (!name.equals(Objects.name(applied))) {
            throw ApiException.badRequest("the name of the object (" + Objects.name(applied)
                    + ") does not match the name on the URL (" + name + ")");
        }
        boolean force = request.flag("force");
        ObjectNode result;
        try {
            result = store.modify(
                    type,
                    namespace,
                    name,
                    current -> ServerSideApply.apply(current, applied, manager, force),
                    request.dryRun());
        } catch (ApiException e) {
            if (e.code() != 404) {
                throw e;
            }
            ObjectNode created = ServerSideApply.apply(null, applied, manager, force);
            Responses.json(ctx, request.http(), 201, store.create(type, namespace, created, request.dryRun()));
            return;
        }
        Responses.json(ctx, request.http(), 200, result);
    }

    private static ObjectNode checked(ResourceType type, String name, ObjectNode next, ApiRequest request) {
        if (!name.equals(Objects.name(next))) {
            throw ApiException.invalid(
                    type.qualifiedName(),
                    name,
                    type.kind() + " \"" + name + "\" is invalid: metadata.name: Invalid value: \"" + Objects.name(next)
                            + "\": field is immutable");
        }
        ManagedFields.recordUpdate(next, request, "Update");
        return next;
    }

    private static JsonNode parse(ApiRequest request) {
        try {
            return Json.MAPPER.readTree(request.body());
        } catch (java.io.IOException e) {
            throw ApiException.badRequest("the body of the request could not be decoded: " + e.getMessage());
        }
    }
}
