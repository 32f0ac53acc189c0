package dev.clusterconnect.sandbox.auth;

import java.util.Set;

/** Decides whether an identity may do something. The default allows everything. */
@FunctionalInterface
public interface Authorizer {

    /** Allows every request. */
    Authorizer ALLOW_ALL = (identity, attributes) -> true;

    /** Whether {@code identity} may perform the request described by {@code attributes}. */
    boolean allows(Identity identity, RequestAttributes attributes);

    /** Denies every resource request of the named users; allows the rest. */
    static Authorizer denyingUsers(Set<String> users) {
        Set<String> denied = Set.copyOf(users);
        return (identity, attributes) -> !(attributes.isResourceRequest() && denied.contains(identity.username()));
    }

    /** Allows only what both this and {@code other} allow. */
    default Authorizer and(Authorizer other) {
        return (identity, attributes) -> allows(identity, attributes) && other.allows(identity, attributes);
    }
}
