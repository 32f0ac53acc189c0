package dev.clusterconnect.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What holds for the agent and the relay chart alike. */
class BothChartsTest {

    @TempDir
    Path scratch;

    @ParameterizedTest(name = "{0}")
    @MethodSource("charts")
    void routeFilesBecomeAConfigMapMountedWhereTheAppLooks(Chart chart) {
        String route = "- route:\n    from:\n      uri: \"direct:x\"\n      steps:\n        - log: \"x\"\n";
        Manifests manifests = chart.renderYaml(
                scratch,
                "routes:\n  extra.yaml: |\n"
                        + route.lines().map(line -> "    " + line + "\n").reduce("", String::concat));

        ConfigMap routes = manifests.all(ConfigMap.class).stream()
                .filter(map -> map.getMetadata().getName().endsWith("-routes"))
                .findFirst()
                .orElseThrow();
        assertEquals(Map.of("extra.yaml", route), routes.getData());
        VolumeMount mount = manifests.container().getVolumeMounts().stream()
                .filter(m -> m.getName().equals("routes"))
                .findFirst()
                .orElseThrow();
        // where HopRoutes reads route files when <app>.routes.dir is not set
        assertEquals(dev.clusterconnect.routes.yaml.HopRoutes.DEFAULT_DIRECTORY, mount.getMountPath());
        assertTrue(mount.getReadOnly());
        Volume volume = manifests.podSpec().getVolumes().stream()
                .filter(v -> v.getName().equals("routes"))
                .findFirst()
                .orElseThrow();
        assertEquals(routes.getMetadata().getName(), volume.getConfigMap().getName());
        // the app reads its routes at start-up: a change must roll the pods
        String checksum = manifests
                .one(Deployment.class)
                .getSpec()
                .getTemplate()
                .getMetadata()
                .getAnnotations()
                .get("checksum/routes");
        assertNotNull(checksum);
        assertFalse(checksum.equals(chart.render()
                .one(Deployment.class)
                .getSpec()
                .getTemplate()
                .getMetadata()
                .getAnnotations()
                .get("checksum/routes")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("charts")
    void withoutRouteFilesNothingIsMounted(Chart chart) {
        Manifests manifests = chart.render();
        assertTrue(manifests.all(ConfigMap.class).stream()
                .noneMatch(map -> map.getMetadata().getName().endsWith("-routes")));
        assertTrue(manifests.podSpec().getVolumes().stream()
                .noneMatch(v -> v.getName().equals("routes")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("charts")
    void aRouteFileMustBeNamedLikeYaml(Chart chart) {
        String refused = chart.renderYamlFailure(scratch, "routes:\n  ../evil: |\n    - route: {}\n");
        assertTrue(refused.contains("invalid propertyName '../evil'"), refused);
    }

    static Stream<Chart> charts() {
        return Stream.of(Chart.AGENT, Chart.RELAY);
    }

    /** Each chart with its defaults and with its full example values. */
    static Stream<Arguments> renderings() {
        return charts().flatMap(chart -> Stream.of(
                Arguments.of(chart, "default values", chart.render()),
                Arguments.of(chart, "ci/full-values.yaml", chart.render(chart.fullValues()))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("charts")
    void lintReportsNoWarningOrError(Chart chart) {
        assertLintClean(chart.lint(false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("charts")
    void strictLintReportsNoWarningOrError(Chart chart) {
        assertLintClean(chart.lint(true));
    }

    private static void assertLintClean(LintResult result) {
        assertFalse(result.isFailed(), () -> "lint failed: " + result.getMessages());
        // [INFO] remarks (such as "icon is recommended") are advice, not findings.
        List<String> findings = result.getMessages().stream()
                .filter(m -> !m.startsWith("[INFO]"))
                .toList();
        assertEquals(List.of(), findings);
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("renderings")
    void everyManifestIsATypedKubernetesObjectInTheReleaseNamespace(Chart chart, String values, Manifests manifests) {
        assertTrue(manifests.all().size() >= 5, "a Deployment and its companions");
        for (HasMetadata object : manifests.all()) {
            assertNotNull(object.getMetadata().getName(), object::getKind);
            boolean clusterScoped = object.getKind().startsWith("Cluster");
            if (!clusterScoped) {
                assertEquals(Chart.NAMESPACE, object.getMetadata().getNamespace(), object::getKind);
            }
            assertEquals(Chart.RELEASE, object.getMetadata().getLabels().get("app.kubernetes.io/instance"));
        }
        manifests.one(Deployment.class);
        manifests.config();
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("renderings")
    void containerRunsLockedDown(Chart chart, String values, Manifests manifests) {
        PodSpec pod = manifests.podSpec();
        assertEquals(Boolean.TRUE, pod.getSecurityContext().getRunAsNonRoot());
        assertEquals(10001L, pod.getSecurityContext().getRunAsUser());
        assertEquals(
                "RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType());

        SecurityContext container = manifests.container().getSecurityContext();
        assertEquals(Boolean.TRUE, container.getRunAsNonRoot());
        assertEquals(Boolean.TRUE, container.getReadOnlyRootFilesystem());
        assertEquals(Boolean.FALSE, container.getAllowPrivilegeEscalation());
        assertEquals(List.of("ALL"), container.getCapabilities().getDrop());
        assertTrue(container.getCapabilities().getAdd().isEmpty());
        assertEquals("RuntimeDefault", container.getSeccompProfile().getType());

        assertNotNull(manifests.volumeHolding("/tmp/x").getEmptyDir(), "/tmp is a writable emptyDir");
        assertEquals(Boolean.FALSE, pod.getEnableServiceLinks(), "service links would inject config env vars");
        assertEquals(Boolean.FALSE, manifests.one(ServiceAccount.class).getAutomountServiceAccountToken());
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("renderings")
    void appReadsTheMountedConfigAndIsProbedOnItsHealthPort(Chart chart, String values, Manifests manifests) {
        Container container = manifests.container();
        String configFile = container.getEnv().stream()
                .filter(e -> e.getName().equals("CLUSTERCONNECT_CONFIG"))
                .map(EnvVar::getValue)
                .findFirst()
                .orElseThrow();
        assertEquals("/etc/clusterconnect/application.properties", configFile);
        String configMapName = manifests.config().getMetadata().getName();
        assertEquals(
                configMapName,
                manifests.volumeHolding(configFile).getConfigMap().getName());

        String prefix = chart == Chart.AGENT ? "agent" : "relay";
        int healthPort = Integer.parseInt(manifests.applicationProperties().getProperty(prefix + ".health.port"));
        int containerPort = container.getPorts().stream()
                .filter(p -> p.getName().equals("health"))
                .findFirst()
                .orElseThrow()
                .getContainerPort();
        assertEquals(healthPort, containerPort);
        assertProbe(container.getLivenessProbe(), "/healthz/live");
        assertProbe(container.getReadinessProbe(), "/healthz/ready");
    }

    private static void assertProbe(Probe probe, String path) {
        assertEquals(path, probe.getHttpGet().getPath());
        assertEquals("health", probe.getHttpGet().getPort().getStrVal());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("charts")
    void networkPolicyIsOnByDefaultAndCanBeSwitchedOff(Chart chart) {
        chart.render().one(NetworkPolicy.class);
        assertEquals(List.of(), chart.render("networkPolicy.enabled=false").all(NetworkPolicy.class));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("charts")
    void imageTagDefaultsToTheAppVersion(Chart chart) {
        String image = chart.render().container().getImage();
        assertTrue(image.endsWith(":0.1.0"), image);
        assertTrue(chart.render("image.tag=1.2.3").container().getImage().endsWith(":1.2.3"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("charts")
    void schemaRejectsAnUnknownTopLevelKey(Chart chart) {
        assertSchemaRejects(chart.renderFailure("replicas=2"), "replicas");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("charts")
    void schemaRejectsAnUnknownNestedKey(Chart chart) {
        assertSchemaRejects(chart.renderFailure("image.tags=1.0"), "tags");
        assertSchemaRejects(chart.renderFailure("networkPolicy.enable=false"), "enable");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("charts")
    void schemaRejectsAWrongType(Chart chart) {
        assertSchemaRejects(chart.renderFailure("replicaCount=two"), "replicaCount");
        assertSchemaRejects(chart.renderFailure("log.json=yes"), "json");
        assertSchemaRejects(chart.renderFailure("health.port=70000"), "port");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("charts")
    void schemaRejectsAnIssuerWithoutAudience(Chart chart) {
        assertSchemaRejects(chart.renderFailure("oidc.issuers.corp.url=https://login.example.com"), "audience");
    }

    static void assertSchemaRejects(String message, String offendingKey) {
        assertTrue(message.contains("don't meet the specifications of the schema"), message);
        assertTrue(message.contains(offendingKey), message);
    }
}
