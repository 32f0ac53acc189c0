package dev.clusterconnect.sandbox.http;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A request path split the way the apiserver reads it:
 * {@code /api/v1/namespaces/{ns}/{resource}/{name}/{subresource}} or
 * {@code /apis/{group}/{version}/...}.
 *
 * @param group API group, {@code ""} for core
 * @param version API version
 * @param namespace namespace, {@code null} when the path names none
 * @param resource resource, {@code null} for a group-version discovery path
 * @param name object name, {@code null} for a collection
 * @param subresource subresource, {@code ""} when none
 */
public record ApiPath(
        String group, String version, String namespace, String resource, String name, String subresource) {

    /** Parses a resource path; empty for non-resource paths such as {@code /version} or {@code /api}. */
    public static Optional<ApiPath> parse(String path) {
        List<String> segments =
                Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
        if (segments.size() >= 2 && segments.get(0).equals("api")) {
            return rest("", segments.get(1), segments.subList(2, segments.size()));
        }
        if (segments.size() >= 3 && segments.get(0).equals("apis")) {
            return rest(segments.get(1), segments.get(2), segments.subList(3, segments.size()));
        }
        return Optional.empty();
    }

    private static Optional<ApiPath> rest(String group, String version, List<String> rest) {
        if (rest.isEmpty()) {
            return Optional.of(new ApiPath(group, version, null, null, null, ""));
        }
        boolean namespaceItself = rest.get(0).equals("namespaces")
                && (rest.size() <= 2
                        || (rest.size() == 3 && List.of("status", "finalize").contains(rest.get(2))));
        if (rest.get(0).equals("namespaces") && !namespaceItself) {
            return resource(group, version, rest.get(1), rest.subList(2, rest.size()));
        }
        return resource(group, version, null, rest);
    }

    private static Optional<ApiPath> resource(String group, String version, String namespace, List<String> rest) {
        if (rest.isEmpty() || rest.size() > 3) {
            return Optional.empty();
        }
        String name = rest.size() > 1 ? rest.get(1) : null;
        String subresource = rest.size() > 2 ? rest.get(2) : "";
        return Optional.of(new ApiPath(group, version, namespace, rest.get(0), name, subresource));
    }

    /** {@code v1} or {@code apps/v1}. */
    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    /** Whether this is the discovery path of a group version, e.g. {@code /api/v1}. */
    public boolean isGroupVersion() {
        return resource == null;
    }
}
