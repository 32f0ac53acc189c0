package dev.clusterconnect.routes.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * The head of an HTTP request as it travels through the chain.
 *
 * @param target the request-target: path and query
 * @param headers mutable; names keep their case, repeated headers stay repeated
 */
public record RequestHead(String method, String target, HttpHeaders headers) {

    /** The path without the query. */
    public String path() {
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q);
    }

    /** The query string without '?', or "" . */
    public String query() {
        int q = target.indexOf('?');
        return q < 0 ? "" : target.substring(q + 1);
    }

    /**
     * True when the client asks to switch to a protocol the chain carries: WebSocket or SPDY/3.1
     * (exec, attach, port-forward). Other upgrades, such as {@code h2c}, are ignored as RFC 9110
     * allows, and the request is served as HTTP/1.1.
     */
    public boolean isUpgrade() {
        String upgrade = headers.get(HttpHeaderNames.UPGRADE);
        return upgrade != null
                && (upgrade.equalsIgnoreCase("websocket") || upgrade.equalsIgnoreCase("SPDY/3.1"))
                && headers.containsValue(HttpHeaderNames.CONNECTION, "upgrade", true);
    }

    public RequestHead withTarget(String newTarget) {
        return new RequestHead(method, newTarget, headers);
    }
}
