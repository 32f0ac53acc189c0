package dev.clusterconnect.relay.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Who may use a cluster besides its owner. Names are compared exactly (case-sensitive), as the
 * identity provider spells them.
 */
public final class Grants {

    private static final int MAX_NAME = 256;
    private static final String COLUMNS = "cluster_id, subject_kind, subject, granted_by, created_at";

    private final Jdbc jdbc;

    Grants(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Grants the subject use of the cluster. Granting twice is harmless: the first grant stays
     * and is returned.
     *
     * @param grantedBy user name of the caller granting
     * @throws UnknownClusterException if the cluster is not registered
     */
    public Grant grant(String clusterId, SubjectKind kind, String subject, String grantedBy) {
        Objects.requireNonNull(kind, "kind");
        requireName("subject", subject);
        requireName("grantedBy", grantedBy);
        Grant grant = new Grant(clusterId, kind, subject, grantedBy, jdbc.now());
        try {
            jdbc.update(
                    "grant " + kind + " access",
                    "INSERT INTO access_grants (cluster_id, subject_kind, subject, granted_by, created_at)"
                            + " VALUES (?, ?, ?, ?, ?)",
                    clusterId,
                    kind,
                    subject,
                    grantedBy,
                    grant.createdAt());
            return grant;
        } catch (AlreadyExistsException e) {
            // Each statement auto-commits, so the failed insert leaves no aborted transaction behind.
            return find(clusterId, kind, subject).orElseThrow(() -> e);
        }
    }

    /**
     * Withdraws a grant. The owner's own access cannot be revoked this way.
     *
     * @return false if there was no such grant
     */
    public boolean revoke(String clusterId, SubjectKind kind, String subject) {
        return jdbc.update(
                        "revoke " + kind + " access",
                        "DELETE FROM access_grants WHERE cluster_id = ? AND subject_kind = ? AND subject = ?",
                        clusterId,
                        kind,
                        subject)
                == 1;
    }

    /** @return the cluster's grants: users first, then groups, each by name */
    public List<Grant> list(String clusterId) {
        return jdbc.query(
                "list grants",
                "SELECT " + COLUMNS + " FROM access_grants WHERE cluster_id = ?"
                        + " ORDER BY subject_kind DESC, subject",
                Grants::grant,
                clusterId);
    }

    /**
     * Decides whether a caller may use a cluster: the owner, a user granted by name, or a member
     * of any granted group.
     *
     * @param user the caller's user name (from the verified token)
     * @param groups the caller's groups (from the verified token); may be empty
     * @return false for an unknown cluster or a blank user
     */
    public boolean isAllowed(String clusterId, String user, Collection<String> groups) {
        if (clusterId == null || user == null || user.isBlank()) {
            return false;
        }
        AccessSql access = AccessSql.forCaller(user, groups);
        List<Object> params = new ArrayList<>();
        params.add(clusterId);
        params.addAll(access.params);
        return !jdbc.query(
                        "check access",
                        "SELECT 1 FROM clusters c WHERE c.id = ? AND " + access.condition,
                        row -> Boolean.TRUE,
                        params.toArray())
                .isEmpty();
    }

    private Optional<Grant> find(String clusterId, SubjectKind kind, String subject) {
        return jdbc.queryOne(
                "find grant",
                "SELECT " + COLUMNS + " FROM access_grants"
                        + " WHERE cluster_id = ? AND subject_kind = ? AND subject = ?",
                Grants::grant,
                clusterId,
                kind,
                subject);
    }

    private static void requireName(String what, String name) {
        if (name == null || name.isBlank() || name.length() > MAX_NAME) {
            throw new IllegalArgumentException(what + " must be 1 to " + MAX_NAME + " characters");
        }
    }

    private static Grant grant(ResultSet row) throws SQLException {
        return new Grant(
                row.getString("cluster_id"),
                SubjectKind.valueOf(row.getString("subject_kind")),
                row.getString("subject"),
                row.getString("granted_by"),
                Jdbc.instant(row, "created_at"));
    }
}
