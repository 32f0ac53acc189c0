package dev.clusterconnect.sandbox.auth;

import java.util.List;
import java.util.Map;

/**
 * Who a request acts as, after authentication and impersonation, as the apiserver's
 * {@code user.Info}.
 *
 * @param username user name
 * @param uid user uid, {@code ""} when unknown
 * @param groups groups, including {@code system:authenticated}
 * @param extra extra attributes
 */
public record Identity(String username, String uid, List<String> groups, Map<String, List<String>> extra) {

    /** The group every authenticated identity belongs to. */
    public static final String AUTHENTICATED = "system:authenticated";

    /** Copies the collections so an identity never changes. */
    public Identity {
        groups = List.copyOf(groups);
        extra = Map.copyOf(extra);
    }

    /** A user with groups and no uid or extra; {@code system:authenticated} is added. */
    public static Identity of(String username, String... groups) {
        List<String> all = new java.util.ArrayList<>(List.of(groups));
        if (!all.contains(AUTHENTICATED)) {
            all.add(AUTHENTICATED);
        }
        return new Identity(username, "", all, Map.of());
    }
}
