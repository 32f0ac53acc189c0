package dev.clusterconnect.relay.store;

import java.time.Instant;

/**
 * Permission for a user or group to use a cluster they do not own.
 *
 * @param clusterId the cluster
 * @param kind whether the subject is a user or a group
 * @param subject the user or group name
 * @param grantedBy user name of whoever granted it
 * @param createdAt when it was granted
 */
public record Grant(String clusterId, SubjectKind kind, String subject, String grantedBy, Instant createdAt) {}
