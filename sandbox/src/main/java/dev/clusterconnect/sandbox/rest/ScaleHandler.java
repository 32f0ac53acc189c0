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
import java.util.Iterator;
import java.util.Map;

/**
 * {@code deployments/<name>/scale}: the deployment seen as an {@code autoscaling/v1 Scale}, which
 * {@code kubectl scale} reads and patches.
 */
final class ScaleHandler {

    private final ObjectStore store;

    ScaleHandler(ObjectStore store) {
        this.store = store;
    }

    void handle(ChannelHandlerContext ctx, ApiRequest request, ResourceType type) {
        String namespace = RestHandler.namespace(request);
        String name = request.path().name();
        ObjectNode result = switch (request.attributes().verb()) {
            case "get" -> toScale(store.get(type, namespace, name));
            case "update", "patch" ->
                toScale(store.modify(
                        type,
                        namespace,
                        name,
                        deployment -> withReplicas(deployment, changed(toScale(deployment), request)),
                        request.dryRun()));
            default ->
                throw ApiException.methodNotAllowed(request.http().method().name());
        };
        Responses.json(ctx, request.http(), 200, result);
    }

    private static ObjectNode changed(ObjectNode scale, ApiRequest request) {
        return switch (request.contentType()) {
            case PatchHandler.JSON_PATCH -> JsonPatch.apply(scale, parse(request.body()));
            case PatchHandler.MERGE_PATCH, PatchHandler.STRATEGIC ->
                (ObjectNode) Patches.mergePatch(scale, Json.parseObject(request.body()));
            default -> request.bodyObject();
        };
    }

    private static ObjectNode withReplicas(ObjectNode deployment, ObjectNode scale) {
        JsonNode replicas = scale.path("spec").path("replicas");
        if (!replicas.canConvertToInt() || replicas.asInt() < 0) {
            throw ApiException.invalid(
                    "deployments.apps",
                    Objects.name(deployment),
                    "Scale.autoscaling \"" + Objects.name(deployment) + "\" is invalid: spec.replicas: Invalid value");
        }
        deployment.withObjectProperty("spec").put("replicas", replicas.asInt());
        return deployment;
    }

    private static ObjectNode toScale(ObjectNode deployment) {
        ObjectNode scale = Json.object().put("kind", "Scale").put("apiVersion", "autoscaling/v1");
        ObjectNode metadata = scale.putObject("metadata");
        JsonNode source = deployment.path("metadata");
        for (String field : new String[] {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"}) {
            if (source.has(field)) {
                metadata.set(field, source.get(field));
            }
        }
        int replicas = deployment.path("spec").path("replicas").asInt(1);
        scale.putObject("spec").put("replicas", replicas);
        scale.putObject("status").put("replicas", replicas).put("selector", selector(deployment));
        return scale;
    }

    private static String selector(ObjectNode deployment) {
        StringBuilder selector = new StringBuilder();
        JsonNode labels = deployment.path("spec").path("selector").path("matchLabels");
        for (Iterator<Map.Entry<String, JsonNode>> it = labels.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> label = it.next();
            selector.append(selector.length() == 0 ? "" : ",")
                    .append(label.getKey())
                    .append('=')
                    .append(label.getValue().asText());
        }
        return selector.toString();
    }

    private static JsonNode parse(byte[] body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (java.io.IOException e) {
            throw ApiException.badRequest("the body of the request could not be decoded: " + e.getMessage());
        }
    }
}
