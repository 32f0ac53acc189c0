package dev.clusterconnect.sandbox.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clusterconnect.sandbox.FakeCluster;
import dev.clusterconnect.sandbox.http.ApiRequest;
import dev.clusterconnect.sandbox.http.Responses;
import dev.clusterconnect.sandbox.store.ApiException;
import dev.clusterconnect.sandbox.store.ObjectStore;
import dev.clusterconnect.sandbox.store.Objects;
import dev.clusterconnect.sandbox.store.ResourceType;
import dev.clusterconnect.sandbox.store.Selectors;
import io.netty.channel.ChannelHandlerContext;
import java.util.function.Predicate;

/** GET, LIST, POST, PUT and DELETE on stored resources; PATCH and watches are handed on. */
public final class RestHandler {

    private final FakeCluster cluster;
    private final PatchHandler patches;
    private final WatchHandler watches;
    private final BulkListWriter bulk;
    private final ScaleHandler scale;

    /** A handler over the cluster's store. */
    public RestHandler(FakeCluster cluster) {
        this.cluster = cluster;
        this.patches = new PatchHandler(cluster.store());
        this.watches = new WatchHandler(cluster.store());
        this.bulk = new BulkListWriter(cluster);
        this.scale = new ScaleHandler(cluster.store());
    }

    /** Serves a request on a resource of {@code type}. */
    public void handle(ChannelHandlerContext ctx, ApiRequest request, ResourceType type) {
        if (request.path().subresource().equals("scale")) {
            scale.handle(ctx, request, type);
            return;
        }
        String name = request.path().name();
        switch (request.attributes().verb()) {
            case "get" -> get(ctx, request, type, name);
            case "list" -> list(ctx, request, type);
            case "watch" -> watches.watch(ctx, request, type, filter(request));
            case "create" -> create(ctx, request, type);
            case "update" -> update(ctx, request, type, name);
            case "patch" -> patches.patch(ctx, request, type);
            case "delete" ->
                Responses.json(
                        ctx, request.http(), 200, store().delete(type, namespace(request), name, request.dryRun()));
            case "deletecollection" -> deleteCollection(ctx, request, type);
            default ->
                throw ApiException.methodNotAllowed(request.http().method().name());
        }
    }

    private void list(ChannelHandlerContext ctx, ApiRequest request, ResourceType type) {
        String namespace = request.path().namespace();
        if (bulk.serves(type, namespace)) {
            bulk.write(ctx, request, namespace);
            return;
        }
        ObjectStore.Snapshot snapshot = store().list(type, type.namespaced() ? namespace : null, filter(request));
        long limit = Lists.limit(request.query("limit", ""));
        ObjectNode page = Lists.page(type, snapshot, limit, request.query("continue", ""));
        Responses.json(
                ctx,
                request.http(),
                200,
                Tables.wanted(request) ? Tables.ofList(type, page, Tables.fullObjects(request)) : page);
    }

    private void get(ChannelHandlerContext ctx, ApiRequest request, ResourceType type, String name) {
        ObjectNode object = store().get(type, namespace(request), name);
        Responses.json(
                ctx,
                request.http(),
                200,
                Tables.wanted(request)
                        ? Tables.of(
                                type,
                                java.util.List.of(object),
                                Objects.resourceVersion(object) + "",
                                Tables.fullObjects(request))
                        : object);
    }

    private void create(ChannelHandlerContext ctx, ApiRequest request, ResourceType type) {
        if (request.path().name() != null) {
            throw ApiException.methodNotAllowed("POST");
        }
        ObjectNode object = body(request, type);
        String namespace = namespace(request);
        String declared = Objects.namespace(object);
        if (type.namespaced() && !declared.isEmpty() && !declared.equals(namespace)) {
            throw ApiException.badRequest(
                    "the namespace of the provided object does not match the namespace sent on the request");
        }
        ManagedFields.recordUpdate(object, request, "Update");
        Responses.json(ctx, request.http(), 201, store().create(type, namespace, object, request.dryRun()));
    }

    private void update(ChannelHandlerContext ctx, ApiRequest request, ResourceType type, String name) {
        ObjectNode object = body(request, type);
        if (!name.equals(Objects.name(object))) {
            throw ApiException.badRequest("the name of the object (" + Objects.name(object)
                    + ") does not match the name on the URL (" + name + ")");
        }
        ManagedFields.recordUpdate(object, request, "Update");
        Responses.json(
                ctx, request.http(), 200, store().update(type, namespace(request), name, object, request.dryRun()));
    }

    private void deleteCollection(ChannelHandlerContext ctx, ApiRequest request, ResourceType type) {
        ObjectStore.Snapshot snapshot = store().list(type, request.path().namespace(), filter(request));
        for (ObjectNode item : snapshot.items()) {
            store().delete(type, Objects.namespace(item), Objects.name(item), request.dryRun());
        }
        Responses.json(ctx, request.http(), 200, Lists.page(type, snapshot, 0, ""));
    }

    private static ObjectNode body(ApiRequest request, ResourceType type) {
        ObjectNode object = request.bodyObject();
        String kind = object.path("kind").asText(type.kind());
        if (!kind.equals(type.kind())) {
            throw ApiException.badRequest("the kind " + kind + " does not match the resource " + type.plural());
        }
        return object;
    }

    static Predicate<ObjectNode> filter(ApiRequest request) {
        return Selectors.labels(request.query("labelSelector", null))
                .and(Selectors.fields(request.query("fieldSelector", null)));
    }

    static String namespace(ApiRequest request) {
        return request.path().namespace() == null ? "" : request.path().namespace();
    }

    private ObjectStore store() {
        return cluster.store();
    }
}
