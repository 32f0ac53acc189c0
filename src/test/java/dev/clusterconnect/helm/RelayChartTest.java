package dev.clusterconnect.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackend;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.Role;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The relay chart: listener, TLS, database choice, exposure. */
class RelayChartTest {

    private static final Chart RELAY = Chart.RELAY;

    private static final Set<String> KEYS = Set.of(
            "relay.listen.host",
            "relay.listen.port",
            "relay.tls.cert-file",
            "relay.tls.key-file",
            "relay.public-url",
            "relay.db.url",
            "relay.db.username",
            "relay.db.password-file",
            "relay.health.port",
            "relay.log.json",
            "relay.audit.file",
            "relay.listen.max-connections-per-address");

    static final String[] POSTGRES = {
        "database.type=postgresql", "database.postgresql.url=jdbc:postgresql://db:5432/relay",
        "database.postgresql.username=relay", "database.postgresql.existingSecret=relay-db"
    };

    /** Three replicas with everything they need: PostgreSQL and the peer certificate. */
    static final String[] THREE_REPLICAS = with(POSTGRES, "replicaCount=3", "peer.tls.existingSecret=relay-peer-tls");

    @Test
    void defaultsWriteEveryKeyAndNothingElse() {
        assertEquals(KEYS, RELAY.render().applicationProperties().stringPropertyNames());
    }

    @Test
    void thePerAddressCapIsOffUnlessTheRelaySeesTheClientsAddress() {
        assertEquals(
                "0", RELAY.render().applicationProperties().getProperty("relay.listen.max-connections-per-address"));
        assertEquals(
                "0",
                RELAY.render("ingress.enabled=true", "ingress.hosts[0]=relay.example.com")
                        .applicationProperties()
                        .getProperty("relay.listen.max-connections-per-address"));
        assertNull(
                RELAY.render("service.type=LoadBalancer", "service.externalTrafficPolicy=Local")
                        .applicationProperties()
                        .getProperty("relay.listen.max-connections-per-address"),
                "the relay's default (no cap) applies");
    }

    @Test
    void limitsKeepTheRelaysDefaultsUntilSetAndReachTheirKeysWhenSet() {
        Properties set = RELAY.render(
                        "limits.headerTimeoutMs=5000",
                        "limits.idleTimeoutMs=6000",
                        "limits.bodyTimeoutMs=0",
                        "limits.maxConcurrentHandshakes=16",
                        "limits.maxStreamsPerTunnel=2000",
                        "limits.maxStreamsPerUser=50",
                        "limits.responseHeadTimeout=45s")
                .applicationProperties();

        assertEquals(
                List.of("5000", "6000", "0", "16", "2000", "50", "45s"),
                Stream.of(
                                "relay.listen.header-timeout-ms",
                                "relay.listen.idle-timeout-ms",
                                "relay.listen.body-timeout-ms",
                                "relay.tunnel.max-concurrent-handshakes",
                                "relay.tunnel.max-streams-per-tunnel",
                                "relay.tunnel.max-streams-per-user",
                                "relay.tunnel.response-head-timeout")
                        .map(set::getProperty)
                        .toList(),
                "0 is written: it turns a limit off");
        assertEquals(
                "20",
                RELAY.render(
                                "service.type=LoadBalancer",
                                "service.externalTrafficPolicy=Local",
                                "limits.maxConnectionsPerAddress=20")
                        .applicationProperties()
                        .getProperty("relay.listen.max-connections-per-address"));
        assertEquals(
                "0",
                RELAY.render("limits.maxConnectionsPerAddress=20")
                        .applicationProperties()
                        .getProperty("relay.listen.max-connections-per-address"),
                "every client shares the node's address here");
        String refused = RELAY.renderFailure("limits.responseHeadTimeout=soon");
        assertTrue(refused.contains("responseHeadTimeout"), refused);
    }

    @Test
    void serviceSendsPort443ToTheListenerTheConfigNames() {
        Manifests manifests = RELAY.render();
        Properties properties = manifests.applicationProperties();
        assertEquals("0.0.0.0", properties.getProperty("relay.listen.host"));

        ServicePort port = manifests.one(Service.class).getSpec().getPorts().get(0);
        assertEquals(1, manifests.one(Service.class).getSpec().getPorts().size(), "health stays internal");
        assertEquals(443, port.getPort());
        Container container = manifests.container();
        int target = container.getPorts().stream()
                .filter(p -> p.getName().equals(port.getTargetPort().getStrVal()))
                .findFirst()
                .orElseThrow()
                .getContainerPort();
        assertEquals(8443, target);
        assertEquals(String.valueOf(target), properties.getProperty("relay.listen.port"));
        assertEquals(
                manifests.one(Deployment.class).getSpec().getSelector().getMatchLabels(),
                manifests.one(Service.class).getSpec().getSelector());
    }

    @Test
    void certificateAndKeyComeFromTheTlsSecret() {
        Values values = Values.read(RELAY.fullValues());
        Manifests manifests = RELAY.render(RELAY.fullValues());
        Properties properties = manifests.applicationProperties();

        for (String key : List.of("relay.tls.cert-file", "relay.tls.key-file")) {
            String file = properties.getProperty(key);
            Volume volume = manifests.volumeHolding(file);
            assertEquals(values.string("tls.secretName"), volume.getSecret().getSecretName(), key);
            assertTrue(volume.getSecret().getItems().stream().anyMatch(i -> file.endsWith("/" + i.getPath())), key);
            assertNull(
                    manifests.mountHolding(file).orElseThrow().getSubPath(), "renewed certificates must reach the pod");
        }
        assertEquals(
                Chart.RELEASE + "-relay-tls",
                RELAY.render()
                        .volumeHolding("/etc/clusterconnect/tls/tls.crt")
                        .getSecret()
                        .getSecretName());
    }

    @Test
    void h2KeepsItsFileOnAClaimThatOutlivesTheRelease() {
        Manifests manifests = RELAY.render();
        String url = manifests.applicationProperties().getProperty("relay.db.url");
        assertTrue(url.startsWith("jdbc:h2:file:/"), url);

        Volume data = manifests.volumeHolding(url.substring("jdbc:h2:file:".length()));
        PersistentVolumeClaim claim = manifests.one(PersistentVolumeClaim.class);
        assertEquals(
                claim.getMetadata().getName(), data.getPersistentVolumeClaim().getClaimName());
        assertEquals("keep", claim.getMetadata().getAnnotations().get("helm.sh/resource-policy"));
        assertEquals(
                "Recreate",
                manifests.one(Deployment.class).getSpec().getStrategy().getType(),
                "two pods must never open the H2 file at once");
        assertEquals(1, manifests.one(Deployment.class).getSpec().getReplicas());
        assertTrue(manifests.all(PodDisruptionBudget.class).isEmpty(), "a budget for one pod blocks drains");
    }

    @Test
    void h2WithMoreThanOneReplicaIsRefused() {
        String message = RELAY.renderFailure("replicaCount=2");
        assertTrue(message.contains("replicaCount is 2 but database.type is h2"), message);
    }

    @Test
    void anExistingClaimIsUsedAndNotCreated() {
        Manifests manifests = RELAY.render("database.h2.persistence.existingClaim=relay-db-pvc");
        assertTrue(manifests.all(PersistentVolumeClaim.class).isEmpty());
        assertEquals(
                "relay-db-pvc",
                manifests
                        .volumeHolding("/data/relay")
                        .getPersistentVolumeClaim()
                        .getClaimName());
    }

    @Test
    void postgresqlRunsSeveralReplicasWithThePasswordFromASecretFile() {
        Manifests manifests = RELAY.render(THREE_REPLICAS);
        Properties properties = manifests.applicationProperties();

        assertEquals(3, manifests.one(Deployment.class).getSpec().getReplicas());
        assertEquals("jdbc:postgresql://db:5432/relay", properties.getProperty("relay.db.url"));
        assertEquals("relay", properties.getProperty("relay.db.username"));
        Volume password = manifests.volumeHolding(properties.getProperty("relay.db.password-file"));
        assertEquals("relay-db", password.getSecret().getSecretName());
        assertEquals("password", password.getSecret().getItems().get(0).getKey());
        assertTrue(manifests.all(PersistentVolumeClaim.class).isEmpty());
        manifests.one(PodDisruptionBudget.class);
    }

    @Test
    void postgresqlUrlAndUserCanComeFromTheSecretAsVariables() {
        Manifests manifests = RELAY.render(
                "database.type=postgresql",
                "database.postgresql.existingSecret=relay-db",
                "database.postgresql.urlKey=jdbc-url",
                "database.postgresql.usernameKey=user");
        Properties properties = manifests.applicationProperties();

        assertNull(properties.getProperty("relay.db.url"));
        assertNull(properties.getProperty("relay.db.username"));
        Map<String, EnvVar> env =
                manifests.container().getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
        assertEquals(
                "jdbc-url",
                env.get("RELAY_DB_URL").getValueFrom().getSecretKeyRef().getKey());
        assertEquals(
                "user",
                env.get("RELAY_DB_USERNAME").getValueFrom().getSecretKeyRef().getKey());
        assertEquals(
                "relay-db",
                env.get("RELAY_DB_URL").getValueFrom().getSecretKeyRef().getName());
    }

    @Test
    void postgresqlWithoutItsSecretAndUrlReportsBoth() {
        String message = RELAY.renderFailure("database.type=postgresql");
        assertTrue(message.contains("existingSecret is required"), message);
        assertTrue(message.contains("url or urlKey is required"), message);
    }

    @Test
    void schemaRejectsAClusterDomainThatIsNoLowerCaseDnsName() {
        BothChartsTest.assertSchemaRejects(RELAY.renderFailure("clusterDomain=K8s.Example.com"), "clusterDomain");
        BothChartsTest.assertSchemaRejects(RELAY.renderFailure("clusterDomain=*.example.com"), "clusterDomain");
    }

    @Test
    void schemaRejectsAnUnknownDatabase() {
        BothChartsTest.assertSchemaRejects(RELAY.renderFailure("database.type=mysql"), "type");
    }

    @Test
    void fullValuesReachTheirKeys() {
        Values values = Values.read(RELAY.fullValues());
        Properties properties = RELAY.render(RELAY.fullValues()).applicationProperties();

        assertEquals(values.string("publicUrl"), properties.getProperty("relay.public-url"));
        assertEquals(values.string("clusterDomain"), properties.getProperty("relay.cluster-domain"));
        assertEquals(values.string("database.postgresql.url"), properties.getProperty("relay.db.url"));
        assertEquals(values.string("database.postgresql.username"), properties.getProperty("relay.db.username"));
        assertEquals(values.string("health.port"), properties.getProperty("relay.health.port"));
        assertEquals(values.string("log.json"), properties.getProperty("relay.log.json"));
        Map<String, Object> corp = values.map("oidc.issuers.corp");
        assertEquals(corp.get("url"), properties.getProperty("relay.oidc.issuers.corp.url"));
        assertEquals(corp.get("audience"), properties.getProperty("relay.oidc.issuers.corp.audience"));
        assertEquals(corp.get("usernameClaim"), properties.getProperty("relay.oidc.issuers.corp.username-claim"));
        assertEquals(corp.get("groupsPrefix"), properties.getProperty("relay.oidc.issuers.corp.groups-prefix"));
        assertEquals(
                values.joined("oidc.issuers.corp.algorithms"),
                properties.getProperty("relay.oidc.issuers.corp.algorithms"));
    }

    @Test
    void ingressRoutesEveryPathOfEachHostToTheHttpsPort() {
        Values values = Values.read(RELAY.fullValues());
        Manifests manifests = RELAY.render(RELAY.fullValues());
        Ingress ingress = manifests.one(Ingress.class);

        assertEquals(values.string("ingress.className"), ingress.getSpec().getIngressClassName());
        assertEquals(values.map("ingress.annotations"), ingress.getMetadata().getAnnotations());
        assertEquals(
                values.list("ingress.hosts"),
                ingress.getSpec().getRules().stream()
                        .map(r -> (Object) r.getHost())
                        .toList());
        var path = ingress.getSpec().getRules().get(0).getHttp().getPaths().get(0);
        assertEquals("/", path.getPath());
        assertEquals("Prefix", path.getPathType());
        IngressServiceBackend backend = path.getBackend().getService();
        assertEquals(publicService(manifests).getMetadata().getName(), backend.getName());
        assertEquals("https", backend.getPort().getName());
    }

    @Test
    void publicUrlFallsBackToTheFirstIngressHost() {
        Properties properties = RELAY.render("ingress.enabled=true", "ingress.hosts[0]=relay.corp.example")
                .applicationProperties();
        assertEquals("https://relay.corp.example", properties.getProperty("relay.public-url"));
    }

    @Test
    void ingressWithoutHostsIsRefused() {
        assertTrue(RELAY.renderFailure("ingress.enabled=true").contains("at least one host"));
    }

    @Test
    void relayMountsNoTokenAndHasNoKubernetesPermissions() {
        Manifests manifests = RELAY.render(RELAY.fullValues());
        assertEquals(Boolean.FALSE, manifests.podSpec().getAutomountServiceAccountToken());
        assertTrue(manifests.all(Role.class).isEmpty());
        assertTrue(manifests.all(ClusterRole.class).isEmpty());
    }

    @Test
    void networkPolicyOpensTheHttpsPortToAllAndHealthOnlyToMetricsPeers() {
        NetworkPolicy byDefault = RELAY.render().one(NetworkPolicy.class);
        assertEquals(List.of("Ingress"), byDefault.getSpec().getPolicyTypes());
        assertEquals(1, byDefault.getSpec().getIngress().size());
        assertEquals(
                8443,
                byDefault
                        .getSpec()
                        .getIngress()
                        .get(0)
                        .getPorts()
                        .get(0)
                        .getPort()
                        .getIntVal());
        assertTrue(byDefault.getSpec().getIngress().get(0).getFrom().isEmpty(), "anyone may connect");

        NetworkPolicy full = RELAY.render(RELAY.fullValues()).one(NetworkPolicy.class);
        assertEquals(3, full.getSpec().getIngress().size(), "https, health, and the peer port");
        assertEquals(
                Integer.parseInt(Values.read(RELAY.fullValues()).string("health.port")),
                full.getSpec().getIngress().get(1).getPorts().get(0).getPort().getIntVal());
    }

    /** The Service clients and agents reach; with peers on there is also the headless peer Service. */
    static Service publicService(Manifests manifests) {
        List<Service> services = manifests.all(Service.class).stream()
                .filter(s -> !"None".equals(s.getSpec().getClusterIP()))
                .toList();
        assertEquals(1, services.size(), "one Service with a cluster IP");
        return services.get(0);
    }

    static String[] with(String[] base, String... more) {
        String[] all = Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }
}
