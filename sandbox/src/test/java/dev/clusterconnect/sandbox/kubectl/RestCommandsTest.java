package dev.clusterconnect.sandbox.kubectl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clusterconnect.sandbox.RecordedRequest;
import dev.clusterconnect.sandbox.SandboxApiServer;
import dev.clusterconnect.sandbox.store.ApiException;
import dev.clusterconnect.sandbox.store.Json;
import dev.clusterconnect.sandbox.store.ResourceCatalog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kubectl's everyday commands against the sandbox, checked in the store and in kubectl's output. */
class RestCommandsTest {

    @TempDir
    static Path dir;

    private static SandboxApiServer server;
    private static Kubectl kubectl;

    @BeforeAll
    static void start() {
        server = SandboxFixture.builder().build().start();
        kubectl = SandboxFixture.agent(server, dir);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void getPodsPrintsTheSeededPods() {
        String out = kubectl.run("get", "pods").ok().stdout();
        assertTrue(out.contains("demo-0") && out.contains("demo-1"), out);
    }

    @Test
    void olderKubectlUnderstandsTheDiscoveryToo() {
        String out =
                kubectl.version("1.27").run("get", "pods", "-o", "name").ok().stdout();
        assertEquals(List.of("pod/demo-0", "pod/demo-1"), out.lines().toList());
    }

    @Test
    void createConfigMapSentAsProtobufIsStored() {
        kubectl.run("create", "configmap", "proto-cm", "--from-literal=colour=blue")
                .ok();
        ObjectNode stored = server.store().get(ResourceCatalog.CONFIGMAPS, "default", "proto-cm");
        assertEquals("blue", stored.path("data").path("colour").asText());
        RecordedRequest post = server.awaitRequest(
                r -> r.method().equals("POST") && r.path().endsWith("/configmaps"), java.time.Duration.ofSeconds(5));
        assertTrue(post.header("Content-Type").orElse("").startsWith("application/vnd.kubernetes.protobuf"));
    }

    @Test
    void clientSideApplyCreatesThenPatchesOnlyWhatChanged() throws Exception {
        Path manifest = dir.resolve("web.yaml");
        Files.writeString(manifest, deployment("nginx:1"));
        assertTrue(kubectl.run("apply", "-f", manifest.toString()).ok().stdout().contains("created"));
        assertTrue(kubectl.run("apply", "-f", manifest.toString()).ok().stdout().contains("unchanged"));
        Files.writeString(manifest, deployment("nginx:2"));
        assertTrue(kubectl.run("apply", "-f", manifest.toString()).ok().stdout().contains("configured"));
        JsonNode container = server.store()
                .get(ResourceCatalog.DEPLOYMENTS, "default", "web")
                .path("spec")
                .path("template")
                .path("spec")
                .path("containers")
                .get(0);
        assertEquals("nginx:2", container.path("image").asText());
        assertEquals(80, container.path("ports").get(0).path("containerPort").asInt(), "merged by name, ports kept");
        assertTrue(kubectl.run("rollout", "status", "deployment/web", "--timeout=10s")
                .ok()
                .stdout()
                .contains("successfully rolled out"));
    }

    @Test
    void serverSideApplyTracksOwnersAndRefusesConflictsUnlessForced() {
        byte[] mine =
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"ssa\"},\"data\":{\"a\":\"1\",\"b\":\"2\"}}"
                        .getBytes(StandardCharsets.UTF_8);
        kubectl.run(mine, "apply", "--server-side", "-f", "-").ok();
        byte[] theirs = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\ndata:\n  a: \"9\"\n"
                .getBytes(StandardCharsets.UTF_8);
        Kubectl.Result refused = kubectl.run(theirs, "apply", "--server-side", "--field-manager=other", "-f", "-");
        assertNotEquals(0, refused.exitCode());
        assertTrue(refused.stderr().contains("conflict with \"kubectl\""), refused.stderr());
        kubectl.run(theirs, "apply", "--server-side", "--field-manager=other", "--force-conflicts", "-f", "-")
                .ok();
        byte[] mineWithoutA =
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"ssa\"},\"data\":{\"b\":\"2\"}}"
                        .getBytes(StandardCharsets.UTF_8);
        kubectl.run(mineWithoutA, "apply", "--server-side", "-f", "-").ok();
        JsonNode data =
                server.store().get(ResourceCatalog.CONFIGMAPS, "default", "ssa").path("data");
        assertEquals("9", data.path("a").asText(), "a now belongs to the other manager and stays");
        assertEquals("2", data.path("b").asText());
    }

    @Test
    void patchInEveryFormatChangesTheObject() {
        kubectl.run("create", "configmap", "patched", "--from-literal=a=1").ok();
        kubectl.run("patch", "configmap", "patched", "--type=merge", "-p", "{\"data\":{\"b\":\"2\"}}")
                .ok();
        kubectl.run("patch", "configmap", "patched", "--type=json", "-p", "[{\"op\":\"remove\",\"path\":\"/data/a\"}]")
                .ok();
        kubectl.run("patch", "configmap", "patched", "-p", "{\"metadata\":{\"labels\":{\"tier\":\"x\"}}}")
                .ok();
        ObjectNode stored = server.store().get(ResourceCatalog.CONFIGMAPS, "default", "patched");
        assertEquals("{\"b\":\"2\"}", stored.path("data").toString());
        assertEquals("x", stored.path("metadata").path("labels").path("tier").asText());
    }

    @Test
    void deleteRemovesTheObjectAndWaitsForIt() {
        kubectl.run("create", "configmap", "doomed").ok();
        assertTrue(kubectl.run("delete", "configmap", "doomed").ok().stdout().contains("deleted"));
        Kubectl.Result gone = kubectl.run("get", "configmap", "doomed");
        assertEquals(1, gone.exitCode());
        assertTrue(gone.stderr().contains("configmaps \"doomed\" not found"), gone.stderr());
    }

    @Test
    void labelSelectorsFilterLists() {
        kubectl.run("create", "namespace", "labels").ok();
        kubectl.run("-n", "labels", "create", "configmap", "red").ok();
        kubectl.run("-n", "labels", "create", "configmap", "blue").ok();
        kubectl.run("-n", "labels", "label", "configmap", "red", "colour=red").ok();
        assertEquals(
                List.of("configmap/red"),
                kubectl.run("-n", "labels", "get", "cm", "-l", "colour=red", "-o", "name")
                        .ok()
                        .stdout()
                        .lines()
                        .toList());
        assertEquals(
                List.of("configmap/blue"),
                kubectl.run("-n", "labels", "get", "cm", "-l", "colour!=red", "-o", "name")
                        .ok()
                        .stdout()
                        .lines()
                        .toList());
    }

    @Test
    void listsArePagedWithLimitAndContinue() {
        server.store().emitConfigMaps("kube-system", 5);
        server.clearRecords();
        List<String> names = kubectl.run("-n", "kube-system", "get", "cm", "--chunk-size=2", "-o", "name")
                .ok()
                .stdout()
                .lines()
                .toList();
        assertEquals(5, names.size());
        long pages = server.requests().stream()
                .filter(r -> r.uri().contains("limit=2"))
                .count();
        assertEquals(3, pages, "2 + 2 + 1 items");
    }

    @Test
    void creatingInAMissingNamespaceIsNotFound() {
        ApiException e = org.junit.jupiter.api.Assertions.assertThrows(
                ApiException.class,
                () -> server.store()
                        .create(
                                ResourceCatalog.CONFIGMAPS,
                                "nowhere",
                                (ObjectNode) Json.MAPPER
                                        .createObjectNode()
                                        .set("metadata", Json.object().put("name", "x")),
                                false));
        assertEquals(404, e.code());
        assertFalse(kubectl.run("-n", "nowhere", "create", "configmap", "x").exitCode() == 0);
    }

    private static String deployment(String image) {
        return """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          replicas: 2
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers:
              - name: app
                image: %s
                ports: [{containerPort: 80}]
        """.formatted(image);
    }
}
