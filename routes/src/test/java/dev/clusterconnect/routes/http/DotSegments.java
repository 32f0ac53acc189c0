package dev.clusterconnect.routes.http;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * RFC 3986 §5.2.4 remove_dot_segments, with percent-encoded dots read as dots, as a hop behind us
 * may resolve a path. Written apart from {@link RequestLine} so the fuzz tests check the rule
 * against an independent reading: a path that is passed on must come out of this unchanged.
 */
public final class DotSegments {

    private DotSegments() {}

    public static String resolve(String path) {
        String[] segments = path.split("/", -1);
        Deque<String> out = new ArrayDeque<>();
        for (int i = 1; i < segments.length; i++) {
            String segment = segments[i].replaceAll("(?i)%2e", ".");
            boolean last = i == segments.length - 1;
            if (segment.equals("..")) {
                out.pollLast();
                if (last) {
                    out.addLast("");
                }
            } else if (segment.equals(".")) {
                if (last) {
                    out.addLast("");
                }
            } else {
                out.addLast(segments[i]);
            }
        }
        return "/" + String.join("/", out);
    }

    /** The path of a request target, without its query. */
    public static String pathOf(String target) {
        int query = target.indexOf('?');
        return query < 0 ? target : target.substring(0, query);
    }
}
