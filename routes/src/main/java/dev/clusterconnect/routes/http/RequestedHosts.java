package dev.clusterconnect.routes.http;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.ssl.SslHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLSession;

/**
 * The host names a request asks for, lower case: its {@code Host} header's (without the port),
 * then the TLS server name (SNI) of its connection. A kubeconfig with {@code tls-server-name}
 * sends the cluster's name in SNI only, with the relay's address in {@code Host}.
 */
public final class RequestedHosts {

    private RequestedHosts() {}

    /** The names, Host first; empty when neither is there. */
    public static List<String> of(RequestHead head, Channel connection) {
        List<String> names = new ArrayList<>(2);
        hostHeader(head).ifPresent(names::add);
        serverName(connection).filter(name -> !names.contains(name)).ifPresent(names::add);
        return names;
    }

    /** The first name of {@link #of} under {@code domain} ({@code <label>.<domain>}): its label. */
    public static Optional<String> labelUnder(String domain, RequestHead head, Channel connection) {
        String suffix = "." + domain.toLowerCase(Locale.ROOT);
        for (String name : of(head, connection)) {
            if (name.endsWith(suffix)) {
                String label = name.substring(0, name.length() - suffix.length());
                if (!label.isEmpty() && label.indexOf('.') < 0) {
                    return Optional.of(label);
                }
            }
        }
        return Optional.empty();
    }

    static Optional<String> hostHeader(RequestHead head) {
        String host = head.headers().get(HttpHeaderNames.HOST);
        if (host == null || host.isBlank() || host.startsWith("[")) {
            return Optional.empty(); // an IPv6 literal names no virtual host
        }
        int colon = host.lastIndexOf(':');
        String name = (colon < 0 ? host : host.substring(0, colon)).strip();
        return name.isEmpty() ? Optional.empty() : Optional.of(name.toLowerCase(Locale.ROOT));
    }

    static Optional<String> serverName(Channel connection) {
        if (connection == null) {
            return Optional.empty();
        }
        SslHandler tls = connection.pipeline().get(SslHandler.class);
        if (tls == null) {
            return Optional.empty();
        }
        SSLSession session = tls.engine().getSession();
        if (session instanceof ExtendedSSLSession extended) {
            for (SNIServerName name : extended.getRequestedServerNames()) {
                if (name instanceof SNIHostName host) {
                    return Optional.of(host.getAsciiName().toLowerCase(Locale.ROOT));
                }
            }
        }
        return Optional.empty();
    }
}
