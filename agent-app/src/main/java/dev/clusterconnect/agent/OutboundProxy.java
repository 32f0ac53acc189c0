package dev.clusterconnect.agent;

import dev.clusterconnect.routes.config.Settings;
import java.io.IOException;
import java.net.Authenticator;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The corporate proxy on the way out ({@code agent.https-proxy}, {@code agent.no-proxy}) for the
 * agent's plain HTTPS calls to the relay (enrolment, key rotation); the tunnel's own dialer reads
 * the same keys. Basic credentials in the URL are sent to the proxy only.
 */
record OutboundProxy(Optional<URI> proxy, List<String> noProxy) {

    static OutboundProxy from(Settings settings) {
        Optional<URI> proxy =
                settings.optional("agent.https-proxy").map(p -> URI.create(p.contains("://") ? p : "http://" + p));
        List<String> noProxy = Arrays.stream(settings.get("agent.no-proxy", "").split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .map(s -> s.toLowerCase(Locale.ROOT))
                .toList();
        return new OutboundProxy(proxy, noProxy);
    }

    /** Applies the proxy (if any) to an HTTP client being built. */
    HttpClient.Builder apply(HttpClient.Builder builder) {
        if (proxy.isEmpty()) {
            return builder;
        }
        URI uri = proxy.get();
        InetSocketAddress address = new InetSocketAddress(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 3128);
        builder.proxy(new ProxySelector() {
            @Override
            public List<Proxy> select(URI target) {
                return bypassed(target.getHost())
                        ? List.of(Proxy.NO_PROXY)
                        : List.of(new Proxy(Proxy.Type.HTTP, address));
            }

            @Override
            public void connectFailed(URI target, SocketAddress address, IOException failure) {
                // the request fails and says why; nothing to remember
            }
        });
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null && userInfo.contains(":")) {
            String[] parts = userInfo.split(":", 2);
            PasswordAuthentication credentials = new PasswordAuthentication(
                    decode(parts[0]), decode(parts[1]).toCharArray());
            builder.authenticator(new Authenticator() {
                @Override
                protected PasswordAuthentication getPasswordAuthentication() {
                    return getRequestorType() == RequestorType.PROXY ? credentials : null;
                }
            });
        }
        return builder;
    }

    private boolean bypassed(String host) {
        String h = host == null ? "" : host.toLowerCase(Locale.ROOT);
        return noProxy.stream()
                .anyMatch(entry -> entry.equals("*")
                        || h.equals(entry)
                        || h.endsWith(entry.startsWith(".") ? entry : "." + entry));
    }

    private static String decode(String value) {
        return URLDecoder.decode(value, StandardCharsets.UTF_8);
    }
}
