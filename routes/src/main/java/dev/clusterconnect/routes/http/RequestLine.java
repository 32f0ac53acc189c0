package dev.clusterconnect.routes.http;

/**
 * What the method and target of a request must be before a hop passes them on. Each hop writes
 * them into its own request line as they are, and chooses a route by the target's path, so both
 * must read the same to every hop after it: the edge refuses what breaks these rules with a 400,
 * and a tunnel peer that sends such a head has its stream reset.
 */
public final class RequestLine {

    private static final String DELIMITERS = "\"(),/:;<=>?@[\\]{}";

    private RequestLine() {}

    /** RFC 9110 §9.1: a method is a token; anything else would end the request line early or change it. */
    public static boolean isMethod(String method) {
        if (method.isEmpty()) {
            return false;
        }
        for (int i = 0; i < method.length(); i++) {
            char c = method.charAt(i);
            if (c <= ' ' || c >= 0x7F || DELIMITERS.indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Why {@code target} may not be passed on, or null. Only a path (RFC 9112 origin-form) is
     * routed. Its characters must be visible ASCII: a blank would split the next hop's request
     * line, and a byte above 0x7E is read as Latin-1 by one hop and UTF-8 by another. And it may
     * not hold a {@code .} or {@code ..} segment, plain or percent-encoded: a hop that resolves
     * those (RFC 3986 §5.2.4) would serve another path than the one our routes and access rules
     * saw, {@code /clusters/a/../b/...} reaching cluster b past a check made for a.
     */
    public static String targetFlaw(String target) {
        if (!target.startsWith("/")) {
            return "the request target must be a path starting with /";
        }
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= ' ' || c >= 0x7F) {
                return "the request target may only hold visible ASCII characters (percent-encode the others)";
            }
            if (c == '#') {
                return "the request target may not carry a fragment";
            }
        }
        int query = target.indexOf('?');
        String path = query < 0 ? target : target.substring(0, query);
        for (String segment : path.split("/", -1)) {
            if (isDotSegment(segment)) {
                return "the request path may not hold . or .. segments";
            }
        }
        return null;
    }

    private static boolean isDotSegment(String segment) {
        if (segment.isEmpty() || segment.length() > 6) {
            return false; // "%2e%2e" is the longest spelling of ".."
        }
        String decoded = segment.replace("%2e", ".").replace("%2E", ".");
        return decoded.equals(".") || decoded.equals("..");
    }
}
