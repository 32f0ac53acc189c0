package dev.clusterconnect.e2e;

/**
 * Every scenario of {@link KubectlThroughTheChainTest} with the relay in two replicas: kubectl's
 * requests enter one, the agent's tunnel ends at the other, and each request crosses the peer
 * link between them (get, apply, watch, {@code logs -f}, refused impersonation).
 */
class KubectlThroughAForwardedHopTest extends KubectlThroughTheChainTest implements Chain.ThroughTwoReplicas {}
