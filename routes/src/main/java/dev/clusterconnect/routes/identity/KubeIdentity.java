package dev.clusterconnect.routes.identity;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Kubernetes user as the apiserver sees it through impersonation.
 *
 * @param user   the user name, never blank
 * @param groups the groups, in token order, possibly empty
 * @param uid    the user's uid, {@code null} when not mapped
 * @param extra  extra attributes, keys in configuration order, each with one or more values
 */
public record KubeIdentity(String user, List<String> groups, String uid, Map<String, List<String>> extra) {

    public KubeIdentity {
        Objects.requireNonNull(user, "user");
        if (user.isBlank()) {
            throw new IllegalArgumentException("user must not be blank");
        }
        groups = List.copyOf(groups);
        extra = copyOf(extra);
    }

    /** An identity with only a user name. */
    public static KubeIdentity ofUser(String user) {
        return new KubeIdentity(user, List.of(), null, Map.of());
    }

    private static Map<String, List<String>> copyOf(Map<String, List<String>> extra) {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        extra.forEach((key, values) -> copy.put(Objects.requireNonNull(key), List.copyOf(values)));
        return Collections.unmodifiableMap(copy);
    }
}
