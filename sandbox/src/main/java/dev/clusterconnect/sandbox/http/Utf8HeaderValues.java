package dev.clusterconnect.sandbox.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads header values as the apiserver does. Netty's decoder makes one character of each byte
 * (ISO-8859-1); Go's net/http keeps the bytes, and the apiserver takes them as UTF-8 strings
 * (client-go sends {@code --as=alíce} as the bytes of {@code alíce}). Re-decoding here, before the
 * record and impersonation, means a client that sends other bytes sees them mangled here as it
 * would there. Invalid UTF-8 becomes U+FFFD, as Go's JSON encoder writes it in a response.
 */
public final class Utf8HeaderValues extends ChannelInboundHandlerAdapter {

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request && hasNonAscii(request.headers())) {
            redecode(request.headers());
        }
        ctx.fireChannelRead(msg);
    }

    /** The value the apiserver sees for a header value Netty decoded one character per byte. */
    public static String asTheApiserverReads(String latin1) {
        return new String(latin1.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    private static boolean hasNonAscii(HttpHeaders headers) {
        for (Map.Entry<String, String> header : headers) {
            if (header.getValue().chars().anyMatch(c -> c > 0x7f)) {
                return true;
            }
        }
        return false;
    }

    // Rebuilt whole so that order and repeated names stay as they arrived.
    private static void redecode(HttpHeaders headers) {
        List<Map.Entry<String, String>> decoded = new ArrayList<>();
        headers.forEach(h -> decoded.add(Map.entry(h.getKey(), asTheApiserverReads(h.getValue()))));
        headers.clear();
        decoded.forEach(h -> headers.add(h.getKey(), h.getValue()));
    }
}
