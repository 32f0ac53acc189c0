package dev.clusterconnect.routes.http;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The correlation id every hop logs for a request. The proxy makes one and sends it to the relay,
 * the relay puts it into the tunnel OPEN, the agent adopts it: one id greps a request through
 * all three logs. A received id is adopted only when it looks like one of ours, so a caller
 * cannot write arbitrary text (newlines, fake log fields) into the logs.
 */
public final class RequestIds {

    /** Header carrying the id from proxy to relay and from relay to agent. */
    public static final String HEADER = "X-Clusterconnect-Request-Id";

    private static final Pattern WELL_FORMED = Pattern.compile("[0-9a-f]{8,32}");

    private RequestIds() {}

    /** A fresh id: 16 lowercase hex characters. */
    public static String generate() {
        return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }

    /** {@code received} when it is 8-32 lowercase hex characters, else a fresh id. */
    public static String adoptOrGenerate(String received) {
        return received != null && WELL_FORMED.matcher(received).matches() ? received : generate();
    }

    /** Sets the header on the request that goes to the next hop, replacing any the client sent. */
    public static void stamp(HttpCall call) {
        call.head().headers().set(HEADER, call.correlationId());
    }
}
