package dev.clusterconnect.relay.store;

import java.time.Instant;

/**
 * A registered cluster.
 *
 * @param id opaque random id (22 URL-safe characters), used in URLs and kubeconfigs
 * @param name the owner's name for it, a DNS label, unique per owner
 * @param owner user name of the caller who registered it
 * @param createdAt when it was registered
 */
public record Cluster(String id, String name, String owner, Instant createdAt) {}
