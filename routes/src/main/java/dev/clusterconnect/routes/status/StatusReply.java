package dev.clusterconnect.routes.status;

import dev.clusterconnect.routes.http.HttpReply;
import dev.clusterconnect.routes.http.ResponseHead;
import dev.clusterconnect.routes.stream.BytesSource;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.nio.charset.StandardCharsets;

/**
 * The response for a refusal of ours, built here for every hop: the {@code Status} body, a
 * {@code Retry-After} when a retry helps, and the message once more as a {@code Warning: 299}
 * header. kubectl prints a Status's message only for requests it decodes as objects; the discovery requests it makes first (and that our refusals hit first) it reads raw,
 * and then shows "Error from server (Forbidden): unknown", or for a 401 only "the server has asked
 * for the client to provide credentials". Warnings it prints for every response, as
 * "Warning: &lt;message&gt;", so the reason reaches the user in both modes.
 */
public final class StatusReply {

    /** Long enough for every message of ours; a header is no place for more. */
    private static final int MAX_WARNING_CHARS = 512;

    private StatusReply() {}

    public static HttpReply of(KubeStatusException refusal) {
        byte[] body = refusal.body();
        ResponseHead head = ResponseHead.of(refusal.code());
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        head.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
        if (refusal.retryAfterSeconds() > 0) {
            head.headers().set(HttpHeaderNames.RETRY_AFTER, refusal.retryAfterSeconds());
        }
        head.headers().set(HttpHeaderNames.WARNING, warning(refusal.getMessage()));
        return new HttpReply(head, new BytesSource(body));
    }

    /**
     * RFC 7234's warn-value with code 299 and no agent, as the apiserver writes it: the text a
     * quoted-string (backslash before a quote or a backslash), control characters as spaces, and
     * non-ASCII as its UTF-8 bytes, one per character, which is how a header string goes out here.
     */
    static String warning(String message) {
        String text = message == null ? "" : message;
        if (text.length() > MAX_WARNING_CHARS) {
            text = text.substring(0, MAX_WARNING_CHARS) + "...";
        }
        StringBuilder quoted = new StringBuilder(text.length() + 10).append("299 - \"");
        for (char c : new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1).toCharArray()) {
            if (c == '"' || c == '\\') {
                quoted.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                quoted.append(' ');
            } else {
                quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }
}
