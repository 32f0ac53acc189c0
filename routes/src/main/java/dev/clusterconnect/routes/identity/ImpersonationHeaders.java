package dev.clusterconnect.routes.identity;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The Kubernetes impersonation headers for an identity, and the test for headers a client must
 * never be allowed to send through us.
 *
 * <p>Values may contain non-ASCII characters (a user called {@code josé}); the HTTP layer must
 * write them as UTF-8 bytes, which is how client-go sends and the apiserver reads them.
 */
public final class ImpersonationHeaders {

    public static final String USER = "Impersonate-User";
    public static final String GROUP = "Impersonate-Group";
    public static final String UID = "Impersonate-Uid";
    public static final String EXTRA_PREFIX = "Impersonate-Extra-";
    private static final String ANY_PREFIX = "impersonate-";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /** One header line. */
    public record Header(String name, String value) {
        public Header {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }

    private ImpersonationHeaders() {
    }

    /**
     * Headers in this order: {@code Impersonate-User}, one {@code Impersonate-Group} per group,
     * {@code Impersonate-Uid} when the identity has one, then one {@code Impersonate-Extra-<key>}
     * per extra value, the key escaped as client-go does.
     */
    public static List<Header> of(KubeIdentity identity) {
        List<Header> headers = new ArrayList<>();
        headers.add(new Header(USER, identity.user()));
        identity.groups().forEach(group -> headers.add(new Header(GROUP, group)));
        if (identity.uid() != null) {
            headers.add(new Header(UID, identity.uid()));
        }
        identity.extra().forEach((key, values) ->
                values.forEach(value -> headers.add(new Header(EXTRA_PREFIX + escapeExtraKey(key), value))));
        return List.copyOf(headers);
    }

    /**
     * Whether a header name belongs to the impersonation family ({@code Impersonate-User},
     * {@code -Group}, {@code -Uid}, {@code -Extra-*} or any future {@code Impersonate-*}), in any case.
     * Such headers from a client must be dropped or refused before the request goes upstream.
     */
    public static boolean isImpersonationHeader(String name) {
        return name != null && name.regionMatches(true, 0, ANY_PREFIX, 0, ANY_PREFIX.length());
    }

    /**
     * Escapes an extra key like client-go's {@code headerKeyEscape}: bytes of the UTF-8 encoding that
     * are not RFC 7230 token characters, and {@code %} itself, become {@code %XX} (upper-case hex).
     * The apiserver lower-cases the key and then percent-decodes it, so keys should be lower-case.
     */
    static String escapeExtraKey(String key) {
        StringBuilder escaped = new StringBuilder(key.length());
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            int unsigned = b & 0xff;
            if (isTokenChar(unsigned) && unsigned != '%') {
                escaped.append((char) unsigned);
            } else {
                escaped.append('%').append(HEX[unsigned >> 4]).append(HEX[unsigned & 0xf]);
            }
        }
        return escaped.toString();
    }

    /** RFC 7230 tchar, the table client-go copies from net/http. */
    private static boolean isTokenChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }
}
