package dev.clusterconnect.sandbox.http;

import dev.clusterconnect.sandbox.auth.RequestAttributes;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.Set;

/** Maps an HTTP request to the authorization attributes the apiserver would derive from it. */
final class Verbs {

    /** Subresources that open a stream: authorized as {@code create} whatever the method. */
    private static final Set<String> CONNECT = Set.of("exec", "attach", "portforward");

    private Verbs() {}

    static RequestAttributes attributes(HttpMethod method, String uri, ApiPath path) {
        String rawPath = new QueryStringDecoder(uri).path();
        if (path == null || path.isGroupVersion()) {
            return new RequestAttributes(
                    method.name().toLowerCase(java.util.Locale.ROOT), "", null, "", "", "", rawPath);
        }
        String verb = verb(method, uri, path);
        String namespace = path.namespace() == null ? "" : path.namespace();
        if (path.resource().equals("namespaces") && path.name() != null) {
            // as the apiserver's RequestInfo: /api/v1/namespaces/x is in namespace x, so a RoleBinding there reaches it
            namespace = path.name();
        }
        return new RequestAttributes(
                verb,
                path.group(),
                path.resource(),
                path.subresource(),
                namespace,
                path.name() == null ? "" : path.name(),
                rawPath);
    }

    private static String verb(HttpMethod method, String uri, ApiPath path) {
        if (CONNECT.contains(path.subresource())) {
            return "create";
        }
        boolean named = path.name() != null;
        return switch (method.name()) {
            case "GET", "HEAD" -> named ? "get" : isWatch(uri) ? "watch" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> named ? "delete" : "deletecollection";
            default -> method.name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    static boolean isWatch(String uri) {
        List<String> watch = new QueryStringDecoder(uri).parameters().get("watch");
        return watch != null
                && !watch.isEmpty()
                && (watch.get(0).equals("1") || watch.get(0).equalsIgnoreCase("true"));
    }
}
