package dev.clusterconnect.routes.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.Locale;

/**
 * Hop-by-hop headers (RFC 9110 section 7.6.1): they describe one connection, so every hop removes
 * them and frames its own message. Upgrades keep {@code Upgrade} and {@code Connection: Upgrade},
 * the one hop-by-hop signal that must travel end to end for exec and port-forward to work.
 */
public final class HopByHop {

    private static final List<String> ALWAYS = List.of(
            "keep-alive",
            "proxy-connection",
            "proxy-authenticate",
            "proxy-authorization",
            "te",
            "trailer",
            "http2-settings");

    private HopByHop() {}

    /**
     * Removes a request's hop-by-hop headers. {@code Transfer-Encoding: chunked} stays: it is how
     * the next hop learns that a body of unknown length follows, and it frames that body anew.
     */
    public static void stripRequest(HttpHeaders headers, boolean keepUpgrade) {
        strip(headers, keepUpgrade);
    }

    /** Removes a response's hop-by-hop headers; the hop that writes it frames the body itself. */
    public static void stripResponse(HttpHeaders headers, boolean keepUpgrade) {
        strip(headers, keepUpgrade);
        headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
    }

    private static void strip(HttpHeaders headers, boolean keepUpgrade) {
        for (String listed : headers.getAll(HttpHeaderNames.CONNECTION)) {
            for (String token : listed.split(",")) {
                String name = token.trim().toLowerCase(Locale.ROOT);
                if (!name.isEmpty() && !(keepUpgrade && name.equals("upgrade"))) {
                    headers.remove(name);
                }
            }
        }
        ALWAYS.forEach(headers::remove);
        headers.remove(HttpHeaderNames.CONNECTION);
        if (keepUpgrade && headers.contains(HttpHeaderNames.UPGRADE)) {
            headers.set(HttpHeaderNames.CONNECTION, "Upgrade");
        } else {
            headers.remove(HttpHeaderNames.UPGRADE);
        }
    }
}
