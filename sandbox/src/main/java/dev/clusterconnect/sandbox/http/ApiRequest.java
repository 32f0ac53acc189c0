package dev.clusterconnect.sandbox.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clusterconnect.sandbox.auth.Identity;
import dev.clusterconnect.sandbox.auth.RequestAttributes;
import dev.clusterconnect.sandbox.proto.ProtobufDecoder;
import dev.clusterconnect.sandbox.store.ApiException;
import dev.clusterconnect.sandbox.store.Json;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;

/**
 * One API request with what the server learned about it: its parsed path, who it acts as and what
 * it does.
 *
 * @param http the aggregated request
 * @param path the resource path; {@code null} for non-resource paths
 * @param identity the effective identity, after impersonation
 * @param attributes the authorization attributes
 * @param body the request body
 */
public record ApiRequest(
        FullHttpRequest http, ApiPath path, Identity identity, RequestAttributes attributes, byte[] body) {

    /** Reads the body out of the request. */
    public static byte[] bodyOf(FullHttpRequest request) {
        return ByteBufUtil.getBytes(request.content());
    }

    /** The first value of a query parameter, or {@code fallback}. */
    public String query(String name, String fallback) {
        List<String> values = new QueryStringDecoder(http.uri()).parameters().get(name);
        return values == null || values.isEmpty() ? fallback : values.get(0);
    }

    /** All values of a query parameter. */
    public List<String> queryAll(String name) {
        return new QueryStringDecoder(http.uri()).parameters().getOrDefault(name, List.of());
    }

    /** A boolean query parameter: {@code 1} and {@code true} count as true. */
    public boolean flag(String name) {
        String value = query(name, "false");
        return value.equals("1") || value.equalsIgnoreCase("true");
    }

    /** Whether the request is a dry run ({@code dryRun=All}). */
    public boolean dryRun() {
        return queryAll("dryRun").contains("All");
    }

    /**
     * The body as a JSON object: JSON as sent, or decoded from the protobuf kubectl's typed clients use;
     * 415 for other media types.
     */
    public ObjectNode bodyObject() {
        String type = contentType();
        if (type.equals(ProtobufDecoder.MEDIA_TYPE)) {
            return ProtobufDecoder.decode(body);
        }
        if (!type.isEmpty() && !type.equals("application/json") && !type.equals("application/yaml")) {
            throw ApiException.unsupportedMediaType(type);
        }
        return type.equals("application/yaml") ? Json.parseYamlObject(body) : Json.parseObject(body);
    }

    /** The media type of the body, without parameters, lower case. */
    public String contentType() {
        String value = http.headers().get(HttpHeaderNames.CONTENT_TYPE, "");
        int semicolon = value.indexOf(';');
        return (semicolon < 0 ? value : value.substring(0, semicolon)).trim().toLowerCase(java.util.Locale.ROOT);
    }
}
