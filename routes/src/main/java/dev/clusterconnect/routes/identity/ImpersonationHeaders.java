package dev.clusterconnect.routes.identity;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The Kubernetes impersonation headers for an identity, and the test for headers a client must
 * never be allowed to send through us.
 *
 * <p>Values may contain non-ASCII characters (a user called {@code josé}). The apiserver reads
 * header bytes as UTF-8, as client-go sends them, while Netty writes a header string one byte per
 * character; so {@link Header#value()} holds the UTF-8 bytes of the value, one per character (see
 * {@link HeaderText}). Extra keys are percent-encoded into the name, which must stay ASCII.
 */
public final class ImpersonationHeaders {

    public static final String USER = "Impersonate-User";
    public static final String GROUP = "Impersonate-Group";
    public static final String UID = "Impersonate-Uid";
    public static final String EXTRA_PREFIX = "Impersonate-Extra-";
    private static final String ANY_PREFIX = "impersonate-";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /**
     * One header line as it goes on the wire: {@code value} holds the UTF-8 bytes of the identity
     * value, one per character (the {@code í} of {@code alíce} is held as U+00C3 U+00AD, its bytes
     * C3 AD). Hand it to Netty as it is.
     */
    public record Header(String name, String value) {
        public Header {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }

    private ImpersonationHeaders() {}

    /**
     * Headers in this order: {@code Impersonate-User}, one {@code Impersonate-Group} per group,
     * {@code Impersonate-Uid} when the identity has one, then one {@code Impersonate-Extra-<key>}
     * per extra value, the key escaped as client-go does. Values are in their wire form.
     *
     * @throws IllegalArgumentException for a value the claim mapper would have refused (control
     *                                  characters, surrounding blanks, an unpaired surrogate)
     */
    public static List<Header> of(KubeIdentity identity) {
        List<Header> headers = new ArrayList<>();
        headers.add(wire(USER, identity.user()));
        identity.groups().forEach(group -> headers.add(wire(GROUP, group)));
        if (identity.uid() != null) {
            headers.add(wire(UID, identity.uid()));
        }
        identity.extra()
                .forEach((key, values) ->
                        values.forEach(value -> headers.add(wire(EXTRA_PREFIX + escapeExtraKey(key), value))));
        return List.copyOf(headers);
    }

    private static Header wire(String name, String value) {
        return new Header(name, HeaderText.onTheWire(value));
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
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }
}
