package dev.clusterconnect.relay.store;

import java.time.Instant;

/**
 * Connection status of a cluster's agent, as last reported to this relay.
 *
 * @param clusterId the cluster
 * @param connected whether an agent tunnel is up
 * @param connectedSince when the current tunnel came up; null while disconnected
 * @param lastSeen last time the agent connected, sent a heartbeat or disconnected; null if never
 * @param agentVersion version the agent reported; null if never connected
 * @param kubernetesVersion apiserver version the agent reported; null if never connected
 */
public record ClusterStatus(
        String clusterId,
        boolean connected,
        Instant connectedSince,
        Instant lastSeen,
        String agentVersion,
        String kubernetesVersion) {}
