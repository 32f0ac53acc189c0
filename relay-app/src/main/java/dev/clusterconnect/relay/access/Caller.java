package dev.clusterconnect.relay.access;

import java.util.List;

/**
 * Who is calling the relay, as the verified token says: the user name and groups after the
 * issuer's claim mapping (prefixes included), which is what ownership and grants are keyed on.
 */
public record Caller(String user, List<String> groups) {

    /** Exchange property holding the {@link Caller} once {@link AuthenticateCaller} ran. */
    public static final String PROPERTY = "ClusterConnectCaller";

    public Caller {
        groups = List.copyOf(groups);
    }
}
