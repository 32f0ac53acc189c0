package dev.clusterconnect.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The agent's Deployment, its disruption budget and its NetworkPolicy. */
class AgentDeploymentTest {

    private static final Chart AGENT = Chart.AGENT;

    @Test
    void twoReplicasByDefaultWithABudgetThatNeverBlocksADrain() {
        Manifests manifests = AGENT.render();
        assertEquals(2, manifests.one(Deployment.class).getSpec().getReplicas());
        PodDisruptionBudget budget = manifests.one(PodDisruptionBudget.class);
        assertEquals(new IntOrString(1), budget.getSpec().getMaxUnavailable());
        assertEquals(
                manifests.one(Deployment.class).getSpec().getSelector(),
                budget.getSpec().getSelector());
    }

    @Test
    void onlyTheAgentPodMountsAServiceAccountToken() {
        assertEquals(
                Boolean.TRUE,
                AGENT.render().podSpec().getAutomountServiceAccountToken(),
                "the agent calls the apiserver in-cluster");
    }

    @Test
    void schedulingSettingsReachThePod() {
        Values values = Values.read(AGENT.fullValues());
        Manifests manifests = AGENT.render(AGENT.fullValues());
        var pod = manifests.podSpec();

        assertEquals(values.map("nodeSelector"), pod.getNodeSelector());
        assertEquals(values.string("priorityClassName"), pod.getPriorityClassName());
        assertEquals(
                values.list("tolerations"),
                pod.getTolerations().stream()
                        .map(t -> (Object) Map.of(
                                "key",
                                t.getKey(),
                                "operator",
                                t.getOperator(),
                                "value",
                                t.getValue(),
                                "effect",
                                t.getEffect()))
                        .toList());
        assertTrue(pod.getAffinity().getNodeAffinity() != null, "the given affinity replaces the default");
        assertEquals(
                values.list("image.pullSecrets"),
                pod.getImagePullSecrets().stream()
                        .map(r -> (Object) r.getName())
                        .toList());
        Map<String, String> annotations = manifests
                .one(Deployment.class)
                .getSpec()
                .getTemplate()
                .getMetadata()
                .getAnnotations();
        assertTrue(
                annotations.entrySet().containsAll(values.map("podAnnotations").entrySet()));
        assertTrue(annotations.containsKey("checksum/config"), "a config change rolls the pods");
    }

    @Test
    void withoutAffinityReplicasPreferDifferentNodes() {
        var antiAffinity = AGENT.render().podSpec().getAffinity().getPodAntiAffinity();
        var term = antiAffinity
                .getPreferredDuringSchedulingIgnoredDuringExecution()
                .get(0)
                .getPodAffinityTerm();
        assertEquals("kubernetes.io/hostname", term.getTopologyKey());
    }

    @Test
    void networkPolicyAdmitsNoIngressByDefault() {
        NetworkPolicy policy = AGENT.render().one(NetworkPolicy.class);
        assertEquals(Set.of("Ingress", "Egress"), Set.copyOf(policy.getSpec().getPolicyTypes()));
        assertTrue(policy.getSpec().getIngress().isEmpty());
        assertEquals(
                AGENT.render().one(Deployment.class).getSpec().getSelector(),
                policy.getSpec().getPodSelector());
    }

    @Test
    void networkPolicyEgressIsDnsRelayAndApiserverOnly() {
        List<NetworkPolicyEgressRule> egress =
                AGENT.render().one(NetworkPolicy.class).getSpec().getEgress();
        assertEquals(3, egress.size());
        egress.forEach(rule -> assertTrue(
                !rule.getPorts().isEmpty() && !rule.getTo().isEmpty(), "every rule names both destinations and ports"));

        NetworkPolicyEgressRule dns = egress.get(0);
        assertEquals(Set.of("UDP/53", "TCP/53"), ports(dns));
        NetworkPolicyPeer kubeDns = dns.getTo().get(0);
        assertEquals(Map.of("k8s-app", "kube-dns"), kubeDns.getPodSelector().getMatchLabels());
        assertEquals(
                Map.of("kubernetes.io/metadata.name", "kube-system"),
                kubeDns.getNamespaceSelector().getMatchLabels());

        assertEquals(Set.of("TCP/443"), ports(egress.get(1)));
        assertEquals(Set.of("TCP/443", "TCP/6443"), ports(egress.get(2)));
    }

    @Test
    void networkPolicyUsesTheConfiguredAddressesAndPorts() {
        Values values = Values.read(AGENT.fullValues());
        NetworkPolicy policy = AGENT.render(AGENT.fullValues()).one(NetworkPolicy.class);
        List<NetworkPolicyEgressRule> egress = policy.getSpec().getEgress();

        assertEquals(values.list("networkPolicy.relay.cidrs"), cidrs(egress.get(1)));
        assertEquals(Set.of("TCP/" + values.string("networkPolicy.relay.port")), ports(egress.get(1)));
        assertEquals(values.list("networkPolicy.apiserver.cidrs"), cidrs(egress.get(2)));
        assertEquals(
                values.list("networkPolicy.apiserver.ports").stream()
                        .map(p -> "TCP/" + p)
                        .collect(Collectors.toSet()),
                ports(egress.get(2)));
        assertEquals(values.list("networkPolicy.proxy.cidrs"), cidrs(egress.get(3)));
        assertEquals(values.list("networkPolicy.extraEgress").size(), egress.size() - 4);

        assertEquals(1, policy.getSpec().getIngress().size(), "metricsFrom opens the health port");
        assertEquals(
                Set.of("TCP/" + values.string("health.port")),
                policy.getSpec().getIngress().get(0).getPorts().stream()
                        .map(AgentDeploymentTest::port)
                        .collect(Collectors.toSet()));
    }

    private static Set<String> ports(NetworkPolicyEgressRule rule) {
        return rule.getPorts().stream().map(AgentDeploymentTest::port).collect(Collectors.toSet());
    }

    private static String port(NetworkPolicyPort port) {
        return port.getProtocol() + "/" + port.getPort().getIntVal();
    }

    private static List<Object> cidrs(NetworkPolicyEgressRule rule) {
        return rule.getTo().stream()
                .map(NetworkPolicyPeer::getIpBlock)
                .filter(Objects::nonNull)
                .map(b -> (Object) b.getCidr())
                .toList();
    }
}
