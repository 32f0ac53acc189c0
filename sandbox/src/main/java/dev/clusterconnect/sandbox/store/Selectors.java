package dev.clusterconnect.sandbox.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses {@code labelSelector} and {@code fieldSelector} query parameters into filters. */
public final class Selectors {

    private static final Pattern SET_BASED = Pattern.compile("^\\s*(\\S+)\\s+(in|notin)\\s*\\((.*)\\)\\s*$");
    private static final Pattern EQUALITY = Pattern.compile("^\\s*([^=!\\s]+)\\s*(==|=|!=)\\s*(.*?)\\s*$");

    private Selectors() {}

    /**
     * A label selector: {@code a=b}, {@code a==b}, {@code a!=b}, {@code a in (x,y)}, {@code a notin (x)},
     * {@code a}, {@code !a}, joined by commas. {@code null} or blank matches everything.
     */
    public static Predicate<ObjectNode> labels(String selector) {
        Predicate<ObjectNode> result = o -> true;
        for (String requirement : split(selector)) {
            Predicate<JsonNode> onLabels = labelRequirement(requirement);
            result = result.and(o -> onLabels.test(o.path("metadata").path("labels")));
        }
        return result;
    }

    /**
     * A field selector: {@code path=value}, {@code path==value}, {@code path!=value}, joined by commas;
     * the path is dotted ({@code metadata.name}, {@code status.phase}).
     */
    public static Predicate<ObjectNode> fields(String selector) {
        Predicate<ObjectNode> result = o -> true;
        for (String requirement : split(selector)) {
            Matcher m = EQUALITY.matcher(requirement);
            if (!m.matches()) {
                throw ApiException.badRequest("invalid field selector: " + requirement);
            }
            String[] path = m.group(1).split("\\.");
            String value = m.group(3);
            boolean negated = m.group(2).equals("!=");
            result = result.and(o -> negated != value.equals(text(o, path)));
        }
        return result;
    }

    private static Predicate<JsonNode> labelRequirement(String requirement) {
        Matcher set = SET_BASED.matcher(requirement);
        if (set.matches()) {
            String key = set.group(1);
            Set<String> values = Set.copyOf(List.of(set.group(3).trim().split("\\s*,\\s*")));
            boolean in = set.group(2).equals("in");
            return labels ->
                    labels.has(key) ? in == values.contains(labels.get(key).asText()) : !in;
        }
        Matcher eq = EQUALITY.matcher(requirement);
        if (eq.matches()) {
            String key = eq.group(1);
            String value = eq.group(3);
            if (eq.group(2).equals("!=")) {
                return labels -> !value.equals(labels.path(key).asText(null));
            }
            return labels -> value.equals(labels.path(key).asText(null));
        }
        String trimmed = requirement.trim();
        if (trimmed.startsWith("!")) {
            String key = trimmed.substring(1).trim();
            return labels -> !labels.has(key);
        }
        if (trimmed.matches("[A-Za-z0-9._/-]+")) {
            return labels -> labels.has(trimmed);
        }
        throw ApiException.badRequest("unable to parse requirement: " + requirement);
    }

    private static String text(JsonNode object, String[] path) {
        JsonNode node = object;
        for (String segment : path) {
            node = node.path(segment);
        }
        return node.isValueNode() ? node.asText() : "";
    }

    /** Splits on commas outside parentheses. */
    private static List<String> split(String selector) {
        List<String> parts = new ArrayList<>();
        if (selector == null || selector.isBlank()) {
            return parts;
        }
        int depth = 0;
        int start = 0;
        for (int i = 0; i < selector.length(); i++) {
            char c = selector.charAt(i);
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (c == ',' && depth == 0) {
                parts.add(selector.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(selector.substring(start));
        parts.removeIf(String::isBlank);
        return parts;
    }
}
