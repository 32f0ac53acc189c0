package dev.clusterconnect.e2e;

/**
 * Every scenario of {@link UpgradesThroughTheChainTest} (exec, cp, attach, port-forward, over
 * WebSocket and SPDY, with each kubectl) with the request entering one relay replica and the
 * agent's tunnel at another: the upgraded bytes cross the peer link both ways.
 */
class UpgradesThroughAForwardedHopTest extends UpgradesThroughTheChainTest implements Chain.ThroughTwoReplicas {}
