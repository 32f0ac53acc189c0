package dev.clusterconnect.helm;

import static dev.clusterconnect.helm.RelayChartTest.POSTGRES;
import static dev.clusterconnect.helm.RelayChartTest.THREE_REPLICAS;
import static dev.clusterconnect.helm.RelayChartTest.publicService;
import static dev.clusterconnect.helm.RelayChartTest.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDeployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The relay chart with several replicas: PostgreSQL, peer links, draining, disruption and spread. */
class RelayChartReplicasTest {

    private static final Chart RELAY = Chart.RELAY;

    @Test
    void severalReplicasGetThePeerPortAndAHeadlessServiceForIt() {
        Manifests manifests = RELAY.render(THREE_REPLICAS);
        Properties properties = manifests.applicationProperties();
        assertEquals("true", properties.getProperty("relay.peer.enabled"));
        assertEquals("0.0.0.0", properties.getProperty("relay.peer.listen.host"));
        assertEquals("8444", properties.getProperty("relay.peer.listen.port"));
        assertEquals(8444, containerPort(manifests, "peer").orElseThrow().getContainerPort());

        Service peers = peerService(manifests);
        assertEquals(Chart.RELEASE + "-relay-peers", peers.getMetadata().getName());
        assertEquals("None", peers.getSpec().getClusterIP());
        assertEquals(Boolean.FALSE, peers.getSpec().getPublishNotReadyAddresses(), "a draining replica drops out");
        assertEquals(
                manifests.one(Deployment.class).getSpec().getSelector().getMatchLabels(),
                peers.getSpec().getSelector());
        ServicePort port = peers.getSpec().getPorts().get(0);
        assertEquals(8444, port.getPort());
        assertEquals("peer", port.getTargetPort().getStrVal());

        assertEquals(
                List.of("https"),
                publicService(manifests).getSpec().getPorts().stream()
                        .map(ServicePort::getName)
                        .toList(),
                "the peer port stays off the public Service");
    }

    @Test
    void peerCertificateKeyAndCaComeReadOnlyFromTheirSecret() {
        Manifests manifests = RELAY.render(THREE_REPLICAS);
        Properties properties = manifests.applicationProperties();

        for (String key : List.of("relay.peer.tls.cert-file", "relay.peer.tls.key-file", "relay.peer.tls.ca-file")) {
            String file = properties.getProperty(key);
            assertNotNull(file, key);
            Volume volume = manifests.volumeHolding(file);
            assertEquals("relay-peer-tls", volume.getSecret().getSecretName(), key);
            assertTrue(volume.getSecret().getItems().stream().anyMatch(i -> file.endsWith("/" + i.getPath())), key);
            var mount = manifests.mountHolding(file).orElseThrow();
            assertEquals(Boolean.TRUE, mount.getReadOnly(), key);
            assertNull(mount.getSubPath(), "renewed certificates must reach the pod");
        }
        assertEquals(
                List.of("tls.crt", "tls.key", "ca.crt"),
                manifests
                        .volumeHolding(properties.getProperty("relay.peer.tls.ca-file"))
                        .getSecret()
                        .getItems()
                        .stream()
                        .map(i -> i.getKey())
                        .toList());
    }

    @Test
    void eachReplicaAdvertisesItsPodIpAndGetsAFreshInstanceIdAtEveryStart() {
        Map<String, EnvVar> env = env(RELAY.render(THREE_REPLICAS));
        assertEquals(
                "status.podIP",
                env.get("RELAY_PEER_ADVERTISE_HOST")
                        .getValueFrom()
                        .getFieldRef()
                        .getFieldPath());
        assertNull(
                env.get("RELAY_INSTANCE_ID"),
                "the relay's default (pod name plus a random suffix) is new at every start; the bare pod name "
                        + "would collide with its previous container's lease row");
    }

    @Test
    void networkPolicyAdmitsThePeerPortOnlyFromTheReleasesOwnPods() {
        Manifests manifests = RELAY.render(THREE_REPLICAS);
        List<NetworkPolicyIngressRule> rules =
                manifests.one(NetworkPolicy.class).getSpec().getIngress();
        NetworkPolicyIngressRule peer = rules.stream()
                .filter(r -> r.getPorts().stream().anyMatch(p -> p.getPort().getIntVal() == 8444))
                .findFirst()
                .orElseThrow();
        assertEquals(1, peer.getFrom().size());
        NetworkPolicyPeer from = peer.getFrom().get(0);
        assertNull(from.getNamespaceSelector(), "this namespace only");
        assertNull(from.getIpBlock());
        assertEquals(
                manifests.one(Deployment.class).getSpec().getSelector().getMatchLabels(),
                from.getPodSelector().getMatchLabels());
        assertEquals(8443, rules.get(0).getPorts().get(0).getPort().getIntVal());
        assertTrue(rules.get(0).getFrom().isEmpty(), "the HTTPS port stays open to all");
    }

    @Test
    void budgetLetsOneReplicaGoAtATime() {
        Manifests manifests = RELAY.render(THREE_REPLICAS);
        PodDisruptionBudget budget = manifests.one(PodDisruptionBudget.class);
        assertEquals(new IntOrString(1), budget.getSpec().getMaxUnavailable());
        assertEquals(
                manifests.one(Deployment.class).getSpec().getSelector(),
                budget.getSpec().getSelector());
    }

    @Test
    void rollingUpdateStartsTheNewReplicaBeforeStoppingAnOldOne() {
        Deployment deployment = RELAY.render(THREE_REPLICAS).one(Deployment.class);
        assertEquals("RollingUpdate", deployment.getSpec().getStrategy().getType());
        RollingUpdateDeployment rolling = deployment.getSpec().getStrategy().getRollingUpdate();
        assertEquals(new IntOrString(0), rolling.getMaxUnavailable());
        assertEquals(new IntOrString(1), rolling.getMaxSurge());
    }

    @Test
    void gracePeriodCoversTheUnreadyDelayAndTheDrainThatTheAppIsTold() {
        assertGraceCovers(RELAY.render(THREE_REPLICAS), 5, 30);
        assertEquals(50L, RELAY.render(THREE_REPLICAS).podSpec().getTerminationGracePeriodSeconds());
        assertGraceCovers(
                RELAY.render(
                        with(THREE_REPLICAS, "shutdown.unreadyDelaySeconds=20", "shutdown.drainTimeoutSeconds=45")),
                20,
                45);
        Values full = Values.read(RELAY.fullValues());
        assertGraceCovers(
                RELAY.render(RELAY.fullValues()),
                Integer.parseInt(full.string("shutdown.unreadyDelaySeconds")),
                Integer.parseInt(full.string("shutdown.drainTimeoutSeconds")));
    }

    private static void assertGraceCovers(Manifests manifests, int unreadySeconds, int drainSeconds) {
        Map<String, EnvVar> env = env(manifests);
        assertEquals(
                unreadySeconds + "s", env.get("RELAY_SHUTDOWN_UNREADY_DELAY").getValue());
        assertEquals(drainSeconds + "s", env.get("RELAY_SHUTDOWN_DRAIN_TIMEOUT").getValue());
        long grace = manifests.podSpec().getTerminationGracePeriodSeconds();
        assertTrue(grace > unreadySeconds + drainSeconds, "grace period " + grace + " leaves no margin");
        assertNull(manifests.container().getLifecycle(), "the app waits the unready delay itself; no preStop");
    }

    @Test
    void readinessIsProbedOftenAndTrustedAtTheFirstFailure() {
        Probe readiness = RELAY.render(THREE_REPLICAS).container().getReadinessProbe();
        assertEquals(2, readiness.getPeriodSeconds());
        assertEquals(1, readiness.getFailureThreshold());
        assertTrue(
                readiness.getPeriodSeconds() * readiness.getFailureThreshold() < 5,
                "noticed well inside the default unready delay");
    }

    @Test
    void replicasPreferDifferentNodesUnlessAffinityIsGiven() {
        Manifests manifests = RELAY.render(THREE_REPLICAS);
        var term = manifests
                .podSpec()
                .getAffinity()
                .getPodAntiAffinity()
                .getPreferredDuringSchedulingIgnoredDuringExecution()
                .get(0)
                .getPodAffinityTerm();
        assertEquals("kubernetes.io/hostname", term.getTopologyKey());
        assertEquals(
                manifests.one(Deployment.class).getSpec().getSelector().getMatchLabels(),
                term.getLabelSelector().getMatchLabels());

        var given = RELAY.render(RELAY.fullValues()).podSpec().getAffinity().getPodAntiAffinity();
        assertTrue(
                given.getPreferredDuringSchedulingIgnoredDuringExecution().isEmpty(), "the given affinity replaces it");
        assertEquals(
                1, given.getRequiredDuringSchedulingIgnoredDuringExecution().size());
    }

    @Test
    void fullValuesPeerPortReachesConfigContainerServiceAndPolicy() {
        Values values = Values.read(RELAY.fullValues());
        int port = Integer.parseInt(values.string("peer.port"));
        Manifests manifests = RELAY.render(RELAY.fullValues());

        assertEquals(String.valueOf(port), manifests.applicationProperties().getProperty("relay.peer.listen.port"));
        assertEquals(port, containerPort(manifests, "peer").orElseThrow().getContainerPort());
        assertEquals(port, peerService(manifests).getSpec().getPorts().get(0).getPort());
        assertTrue(manifests.one(NetworkPolicy.class).getSpec().getIngress().stream()
                .anyMatch(r -> r.getPorts().get(0).getPort().getIntVal() == port));
        assertEquals(
                values.string("peer.tls.existingSecret"),
                manifests
                        .volumeHolding(manifests.applicationProperties().getProperty("relay.peer.tls.cert-file"))
                        .getSecret()
                        .getSecretName());
    }

    @Test
    void severalReplicasWithoutADatabaseAreRefused() {
        String message = RELAY.renderFailure("replicaCount=3");
        assertTrue(message.contains("replicaCount is 3 but database.type is h2"), message);
        assertTrue(message.contains("database.type=postgresql with database.postgresql.url"), message);
    }

    @Test
    void peersWithoutATlsSecretAreRefused() {
        String several = RELAY.renderFailure(with(POSTGRES, "replicaCount=3"));
        assertTrue(several.contains("peer.tls.existingSecret is required"), several);
        assertTrue(several.contains("tls.crt, tls.key and ca.crt"), several);

        String explicit = RELAY.renderFailure(with(POSTGRES, "peer.enabled=true"));
        assertTrue(explicit.contains("peer.tls.existingSecret is required"), explicit);
    }

    @Test
    void severalReplicasWithPeersSwitchedOffAreRefused() {
        String message = RELAY.renderFailure(with(THREE_REPLICAS, "peer.enabled=false"));
        assertTrue(message.contains("replicaCount is 3 but peer.enabled is false"), message);
    }

    @Test
    void peersOnH2AreRefused() {
        String message = RELAY.renderFailure("peer.enabled=true", "peer.tls.existingSecret=relay-peer-tls");
        assertTrue(message.contains("peer.enabled is true but database.type is h2"), message);
    }

    @Test
    void peerPortMayNotTakeAnotherListenersPort() {
        String message = RELAY.renderFailure(with(THREE_REPLICAS, "peer.port=8081"));
        assertTrue(message.contains("peer.port 8081 is taken"), message);
    }

    @Test
    void schemaRejectsAPeerSwitchThatIsNeitherAutoNorBoolean() {
        BothChartsTest.assertSchemaRejects(RELAY.renderFailure("peer.enabled=maybe"), "enabled");
    }

    @Test
    void autoscalingOwnsTheReplicaCountAndNeedsWhatSeveralReplicasNeed() {
        Manifests manifests =
                RELAY.render(with(POSTGRES, "autoscaling.enabled=true", "peer.tls.existingSecret=relay-peer-tls"));
        HorizontalPodAutoscaler autoscaler = manifests.one(HorizontalPodAutoscaler.class);
        Deployment deployment = manifests.one(Deployment.class);
        assertEquals(
                deployment.getMetadata().getName(),
                autoscaler.getSpec().getScaleTargetRef().getName());
        assertEquals(2, autoscaler.getSpec().getMinReplicas());
        assertEquals(6, autoscaler.getSpec().getMaxReplicas());
        assertNull(deployment.getSpec().getReplicas(), "the autoscaler sets it; an upgrade must not reset it");
        manifests.one(PodDisruptionBudget.class);
        peerService(manifests);

        String h2 = RELAY.renderFailure("autoscaling.enabled=true");
        assertTrue(h2.contains("autoscaling.enabled is true but database.type is h2"), h2);
        String inverted = RELAY.renderFailure(with(
                POSTGRES,
                "autoscaling.enabled=true",
                "peer.tls.existingSecret=relay-peer-tls",
                "autoscaling.minReplicas=7"));
        assertTrue(inverted.contains("minReplicas is more than maxReplicas"), inverted);
    }

    @Test
    void oneReplicaByDefaultKeepsItsH2ClaimAndHasNoPeers() {
        Manifests manifests = RELAY.render();
        assertNoPeers(manifests);
        manifests.one(PersistentVolumeClaim.class);
        assertEquals(
                "Recreate",
                manifests.one(Deployment.class).getSpec().getStrategy().getType());
        assertTrue(manifests.all(PodDisruptionBudget.class).isEmpty());
        assertTrue(manifests.all(HorizontalPodAutoscaler.class).isEmpty());

        Manifests postgres = RELAY.render(POSTGRES);
        assertNoPeers(postgres);
        assertTrue(postgres.all(PersistentVolumeClaim.class).isEmpty());
        assertEquals(
                "RollingUpdate",
                postgres.one(Deployment.class).getSpec().getStrategy().getType());
    }

    private static void assertNoPeers(Manifests manifests) {
        assertEquals(1, manifests.all(Service.class).size(), "no peer Service");
        assertTrue(containerPort(manifests, "peer").isEmpty());
        assertTrue(manifests.applicationProperties().stringPropertyNames().stream()
                .noneMatch(k -> k.startsWith("relay.peer.")));
        Map<String, EnvVar> env = env(manifests);
        assertNull(env.get("RELAY_PEER_ADVERTISE_HOST"));
        assertNull(env.get("RELAY_INSTANCE_ID"));
        assertTrue(
                manifests.mountHolding("/etc/clusterconnect/peer-tls/tls.crt").isEmpty());
        assertEquals(
                1, manifests.one(NetworkPolicy.class).getSpec().getIngress().size());
    }

    private static Service peerService(Manifests manifests) {
        List<Service> headless = manifests.all(Service.class).stream()
                .filter(s -> "None".equals(s.getSpec().getClusterIP()))
                .toList();
        assertEquals(1, headless.size(), "one headless peer Service");
        return headless.get(0);
    }

    private static Optional<ContainerPort> containerPort(Manifests manifests, String name) {
        return manifests.container().getPorts().stream()
                .filter(p -> name.equals(p.getName()))
                .findFirst();
    }

    private static Map<String, EnvVar> env(Manifests manifests) {
        return manifests.container().getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
    }
}
