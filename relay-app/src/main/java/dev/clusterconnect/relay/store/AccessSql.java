package dev.clusterconnect.relay.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The one rule for who may use a cluster, as a SQL condition on {@code clusters c}: the owner,
 * a user grant for the caller, or a group grant for any of the caller's groups. Shared so that
 * listing visible clusters and checking one cluster can never disagree.
 */
final class AccessSql {

    final String condition;
    final List<Object> params;

    private AccessSql(String condition, List<Object> params) {
        this.condition = condition;
        this.params = params;
    }

    /** @param groups the caller's groups; null or empty for none */
    static AccessSql forCaller(String user, Collection<String> groups) {
        Collection<String> given = groups == null ? List.of() : groups;
        List<String> distinctGroups =
                given.stream().filter(Objects::nonNull).distinct().toList();
        List<Object> params = new ArrayList<>();
        params.add(user);
        params.add(user);
        StringBuilder sql = new StringBuilder()
                .append("(c.owner = ? OR EXISTS (SELECT 1 FROM access_grants g WHERE g.cluster_id = c.id")
                .append(" AND ((g.subject_kind = 'USER' AND g.subject = ?)");
        if (!distinctGroups.isEmpty()) {
            sql.append(" OR (g.subject_kind = 'GROUP' AND g.subject IN (")
                    .append(String.join(", ", Collections.nCopies(distinctGroups.size(), "?")))
                    .append("))");
            params.addAll(distinctGroups);
        }
        sql.append(")))");
        return new AccessSql(sql.toString(), params);
    }
}
