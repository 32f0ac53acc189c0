package dev.clusterconnect.routes.component.kubeclient;

import io.netty.handler.ssl.SslContext;
import java.net.URI;

/**
 * Where a {@code kubeclient:} endpoint sends requests: an apiserver or the relay.
 *
 * @param ssl TLS context that trusts exactly the CA the server is verified against; null for plain HTTP
 * @param basePath a path prefix put before every request's target (the relay's {@code /clusters/{id}}); "" for none
 */
public record Upstream(String host, int port, SslContext ssl, String basePath) {

    /** An upstream from an https URL, e.g. {@code https://10.0.0.1:6443} or {@code https://relay/clusters/abc}. */
    public static Upstream of(URI url, SslContext ssl) {
        boolean tls = "https".equalsIgnoreCase(url.getScheme()) || "wss".equalsIgnoreCase(url.getScheme());
        if (tls && ssl == null) {
            throw new IllegalArgumentException("TLS context required for " + url.getScheme() + "://" + url.getHost());
        }
        int port = url.getPort() > 0 ? url.getPort() : tls ? 443 : 80;
        String path = url.getRawPath() == null ? "" : url.getRawPath();
        return new Upstream(
                url.getHost(),
                port,
                tls ? ssl : null,
                path.endsWith("/") ? path.substring(0, path.length() - 1) : path);
    }

    /** The value of the Host header for this upstream. */
    public String authority() {
        boolean defaultPort = ssl != null ? port == 443 : port == 80;
        String h = host.contains(":") ? "[" + host + "]" : host;
        return defaultPort ? h : h + ":" + port;
    }
}
