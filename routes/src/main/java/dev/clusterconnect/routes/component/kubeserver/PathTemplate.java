package dev.clusterconnect.routes.component.kubeserver;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A REST operation's path under its base path, as Camel's REST DSL writes it:
 * {@code /clusters/{id}/grants/{kind}/{subject}}. A {@code {name}} segment matches one non-empty
 * path segment, URL-decoded; any other segment matches itself only. No trailing slash, no
 * wildcard: a path the template does not spell exactly is not its.
 */
final class PathTemplate {

    private final String text;
    private final List<String> segments;

    PathTemplate(String template) {
        String path =
                template == null || template.isEmpty() ? "/" : template.startsWith("/") ? template : "/" + template;
        this.text = path;
        this.segments = List.of(path.substring(1).split("/", -1));
    }

    /** The template's parameters and their values for this path (relative to the base path), or null if it does not match. */
    Map<String, String> match(String path) {
        String[] parts = (path.startsWith("/") ? path.substring(1) : path).split("/", -1);
        if (parts.length != segments.size()) {
            return null;
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < parts.length; i++) {
            String segment = segments.get(i);
            if (isParameter(segment)) {
                if (parts[i].isEmpty()) {
                    return null;
                }
                parameters.put(segment.substring(1, segment.length() - 1), decode(parts[i]));
            } else if (!segment.equals(parts[i])) {
                return null;
            }
        }
        return parameters;
    }

    @Override
    public String toString() {
        return text;
    }

    private static boolean isParameter(String segment) {
        return segment.length() > 2 && segment.startsWith("{") && segment.endsWith("}");
    }

    private static String decode(String value) {
        try {
            return URLDecoder.decode(value, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            // a malformed escape is left as sent: the operation refuses it as an unknown name
            return value;
        }
    }
}
