package dev.clusterconnect.relay.access;

import dev.clusterconnect.relay.store.RelayDatabase;
import java.util.Collection;

/** The two questions an access decision asks the store; both block (JDBC) and may throw StoreException. */
public interface AccessRules {

    boolean clusterExists(String clusterId);

    boolean isAllowed(String clusterId, String user, Collection<String> groups);

    static AccessRules of(RelayDatabase database) {
        return new AccessRules() {
            @Override
            public boolean clusterExists(String clusterId) {
                return database.clusters().find(clusterId).isPresent();
            }

            @Override
            public boolean isAllowed(String clusterId, String user, Collection<String> groups) {
                return database.grants().isAllowed(clusterId, user, groups);
            }
        };
    }
}
