package dev.clusterconnect.sandbox.kubectl;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clusterconnect.sandbox.SandboxApiServer;
import dev.clusterconnect.sandbox.store.Json;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Watches and followed logs: long responses that carry changes as they happen. */
class WatchAndLogsTest {

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
    void getWatchPrintsAnObjectCreatedAfterTheWatchStarted() throws Exception {
        int before = server.openWatchCount();
        try (Kubectl.Running watch = kubectl.background("get", "configmaps", "-w", "-o", "name")) {
            await().atMost(Duration.ofSeconds(20)).until(() -> server.openWatchCount() == before + 1);
            ObjectNode cm = Json.object().put("apiVersion", "v1").put("kind", "ConfigMap");
            cm.putObject("metadata").put("name", "born-later").put("namespace", "default");
            server.store().create(cm);
            await().atMost(Duration.ofSeconds(20)).until(() -> watch.lines().contains("configmap/born-later"));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> server.openWatchCount() == before);
    }

    @Test
    void watchReplaysChangesAfterTheListedResourceVersionAndEndsAtTimeout() throws Exception {
        long listed = server.store().resourceVersion();
        server.store().emitConfigMaps("kube-system", 2);
        HttpResponse<String> response = HttpClients.forServer(server)
                .send(
                        HttpRequest.newBuilder(URI.create(server.url()
                                        + "/api/v1/namespaces/kube-system/configmaps?watch=true&timeoutSeconds=1&resourceVersion="
                                        + listed))
                                .header("Authorization", "Bearer " + SandboxFixture.AGENT_TOKEN)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        List<String> events = response.body().lines().toList();
        assertEquals(2, events.size(), response.body());
        assertTrue(events.stream().allMatch(e -> e.startsWith("{\"type\":\"ADDED\"")));
        assertEquals(
                "chunked", response.headers().firstValue("Transfer-Encoding").orElse(""));
    }

    @Test
    void watchWithInitialEventsEndsTheInitialListWithABookmark() throws Exception {
        HttpResponse<String> response = HttpClients.forServer(server)
                .send(
                        HttpRequest.newBuilder(URI.create(server.url()
                                        + "/api/v1/namespaces/default/pods?watch=1&timeoutSeconds=1&sendInitialEvents=true"
                                        + "&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan"))
                                .header("Authorization", "Bearer " + SandboxFixture.AGENT_TOKEN)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        List<String> events = response.body().lines().toList();
        assertEquals(3, events.size(), response.body());
        assertTrue(events.get(2).contains("\"BOOKMARK\"") && events.get(2).contains("k8s.io/initial-events-end"));
    }

    @Test
    void logsFollowStreamsLinesAppendedLater() throws Exception {
        try (Kubectl.Running logs = kubectl.background("logs", "-f", "demo-1")) {
            await().atMost(Duration.ofSeconds(20)).until(() -> logs.lines().contains("starting demo-1"));
            server.appendLog("default", "demo-1", "appended while following");
            await().atMost(Duration.ofSeconds(20)).until(() -> logs.lines().contains("appended while following"));
            assertEquals(1, server.openLogFollowCount());
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> server.openLogFollowCount() == 0);
    }

    @Test
    void logsWithoutFollowPrintTheLogAndEnd() {
        server.appendLog("default", "demo-0", "second line");
        assertEquals(
                List.of("starting demo-0", "second line"),
                kubectl.run("logs", "demo-0").ok().stdout().lines().toList());
    }
}
