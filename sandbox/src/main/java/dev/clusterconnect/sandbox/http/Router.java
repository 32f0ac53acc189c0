package dev.clusterconnect.sandbox.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clusterconnect.sandbox.FakeCluster;
import dev.clusterconnect.sandbox.pod.LogHandler;
import dev.clusterconnect.sandbox.rest.Discovery;
import dev.clusterconnect.sandbox.rest.OpenApi;
import dev.clusterconnect.sandbox.rest.RestHandler;
import dev.clusterconnect.sandbox.rest.Reviews;
import dev.clusterconnect.sandbox.store.ApiException;
import dev.clusterconnect.sandbox.store.ResourceCatalog;
import dev.clusterconnect.sandbox.store.ResourceType;
import dev.clusterconnect.sandbox.stream.StreamUpgrades;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.Optional;
import java.util.function.Supplier;

/** Sends an authorized request to the handler for its path. */
public final class Router {

    private final RestHandler rest;
    private final LogHandler logs;
    private final StreamUpgrades streams;
    private final Reviews reviews;
    private final Supplier<String> serverAddress;
    /** Requests routed, by verb: what /metrics exposes, as apiserver_request_total does. */
    private final java.util.Map<String, java.util.concurrent.atomic.LongAdder> requests =
            new java.util.concurrent.ConcurrentSkipListMap<>();

    /** Routes over the given handlers; {@code serverAddress} is what {@code /api} advertises. */
    public Router(FakeCluster cluster, StreamUpgrades streams, Reviews reviews, Supplier<String> serverAddress) {
        this.rest = new RestHandler(cluster);
        this.logs = new LogHandler(cluster.store(), cluster.logs());
        this.streams = streams;
        this.reviews = reviews;
        this.serverAddress = serverAddress;
    }

    void route(ChannelHandlerContext ctx, ApiRequest request) {
        requests.computeIfAbsent(request.http().method().name(), verb -> new java.util.concurrent.atomic.LongAdder())
                .increment();
        ApiPath path = request.path();
        if (path == null) {
            nonResource(ctx, request, new QueryStringDecoder(request.http().uri()).path());
        } else if (path.isGroupVersion()) {
            ObjectNode resources = Discovery.resources(path.apiVersion()).orElseThrow(ApiException::noRoute);
            Responses.json(ctx, request.http(), 200, resources);
        } else if (Reviews.serves(path.apiVersion(), path.resource())) {
            if (!request.http().method().equals(HttpMethod.POST)) {
                throw ApiException.methodNotAllowed(request.http().method().name());
            }
            Responses.json(
                    ctx,
                    request.http(),
                    201,
                    reviews.review(path.resource(), request.identity(), request.bodyObject()));
        } else {
            resource(ctx, request, path);
        }
    }

    private void resource(ChannelHandlerContext ctx, ApiRequest request, ApiPath path) {
        ResourceType type =
                ResourceCatalog.find(path.apiVersion(), path.resource()).orElseThrow(ApiException::noRoute);
        String subresource = path.subresource();
        if (!subresource.isEmpty() && !type.subresources().contains(subresource)) {
            throw ApiException.noRoute();
        }
        switch (subresource) {
            case "log" -> logs.handle(ctx, request);
            case "exec", "attach", "portforward" -> streams.handle(ctx, request);
            default -> rest.handle(ctx, request, type);
        }
    }

    private void nonResource(ChannelHandlerContext ctx, ApiRequest request, String path) {
        switch (path) {
            case "/version", "/version/" -> Responses.json(ctx, request.http(), 200, Discovery.version());
            case "/api", "/api/" ->
                Responses.json(ctx, request.http(), 200, Discovery.coreVersions(serverAddress.get()));
            case "/apis", "/apis/" -> Responses.json(ctx, request.http(), 200, Discovery.groups());
            case "/healthz", "/livez", "/readyz" -> Responses.text(ctx, request.http(), 200, "ok");
            case "/openapi/v2" -> openApiV2(ctx, request);
            case "/metrics" ->
                Responses.full(
                        ctx,
                        request.http(),
                        200,
                        "text/plain; version=0.0.4; charset=utf-8",
                        metrics().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            default -> {
                Optional<ObjectNode> document = OpenApi.document(path);
                Responses.json(ctx, request.http(), 200, document.orElseThrow(ApiException::noRoute));
            }
        }
    }

    /** The Prometheus text format, as the apiserver's /metrics (one of its families, fewer labels). */
    private String metrics() {
        StringBuilder text = new StringBuilder()
                .append("# HELP apiserver_request_total Counter of apiserver requests broken out for each verb.\n")
                .append("# TYPE apiserver_request_total counter\n");
        requests.forEach((verb, count) -> text.append("apiserver_request_total{verb=\"")
                .append(verb)
                .append("\"} ")
                .append(count.sum())
                .append('\n'));
        return text.toString();
    }

    /**
     * The OpenAPI v2 document kubectl before 1.29 fetches for apply (as protobuf, the only form its
     * client reads; JSON for others): an empty one, whose absent definitions make kubectl fall back to
     * its compiled-in types, as against an apiserver without the resource's schema. The protobuf is
     * gnostic's openapi_v2.Document: swagger (1), info (2: title 1, version 2), paths (8).
     */
    private static void openApiV2(ChannelHandlerContext ctx, ApiRequest request) {
        String accept = request.http().headers().get(io.netty.handler.codec.http.HttpHeaderNames.ACCEPT, "");
        String version = Discovery.version().path("gitVersion").asText();
        if (accept.contains("protobuf")) {
            java.io.ByteArrayOutputStream info = new java.io.ByteArrayOutputStream();
            field(info, 1, "Kubernetes");
            field(info, 2, version);
            java.io.ByteArrayOutputStream document = new java.io.ByteArrayOutputStream();
            field(document, 1, "2.0");
            field(document, 2, info.toByteArray());
            field(document, 8, new byte[0]);
            Responses.full(
                    ctx,
                    request.http(),
                    200,
                    "application/com.github.proto-openapi.spec.v2.v1.0+protobuf",
                    document.toByteArray());
            return;
        }
        ObjectNode document = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        document.put("swagger", "2.0");
        document.putObject("info").put("title", "Kubernetes").put("version", version);
        document.putObject("paths");
        Responses.json(ctx, request.http(), 200, document);
    }

    private static void field(java.io.ByteArrayOutputStream out, int number, String value) {
        field(out, number, value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** A protobuf length-delimited field (wire type 2) of fewer than 128 bytes. */
    private static void field(java.io.ByteArrayOutputStream out, int number, byte[] value) {
        if (value.length > 127) {
            throw new IllegalArgumentException("a field this short writer cannot size");
        }
        out.write(number << 3 | 2);
        out.write(value.length);
        out.write(value, 0, value.length);
    }
}
