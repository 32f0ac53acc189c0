package dev.clusterconnect.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.clusterconnect.sandbox.RecordedRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real kubectl, through proxy, relay and agent, against the sandbox apiserver. */
class KubectlThroughTheChainTest {

    static Chain chain;

    @BeforeAll
    static void startChain(org.junit.jupiter.api.TestInfo test) throws Exception {
        chain = Chain.startFor(test, "alice", "dev", "ops");
    }

    @AfterAll
    static void stopChain() throws Exception {
        chain.close();
    }

    @AfterEach
    void nothingLeftOpen() {
        chain.awaitNoOpenStreams();
    }

    @Test
    void getListsPodsAsTheImpersonatedUser() throws Exception {
        assumeTrue(chain.hasSandbox(), "the sandbox records the headers it receives");
        chain.apiserver.clearRecords();
        
        var result = chain.kubectl().run("get", "pods").ok();
        assertThat(result.out()).contains("demo-0").contains("demo-1");
        RecordedRequest request = chain.apiserver.awaitRequest(r -> r.path().endsWith("/pods"), Duration.ofSeconds(5));
        assertThat(request.headers("Impersonate-User")).containsExactly("alice");
        assertThat(request.header("Authorization")).contains("Bearer agent-secret-token");
    }

    @Test
    void createApplyServerSideApplyAndDelete() throws Exception {
        Path manifest = chain.dir.resolve("cm.yaml");
        Files.writeString(manifest, """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: through-the-chain
                data:
                  a: "1"
                """);
        chain.kubectl().run("create", "-f", manifest.toString()).ok();
        Files.writeString(manifest, Files.readString(manifest).replace("\"1\"", "\"2\""));
        assertThat(chain.kubectl().run("apply", "-f", manifest.toString()).ok().out()).contains("configured");
        Files.writeString(manifest, Files.readString(manifest).replace("\"2\"", "\"3\""));
        chain.kubectl().run("apply", "--server-side", "-f", manifest.toString()).ok();
        assertThat(chain.kubectl().run("get", "configmap", "through-the-chain", "-o", "jsonpath={.data.a}").ok().out()).isEqualTo("3");
        chain.kubectl().run("delete", "configmap", "through-the-chain").ok();
        assertThat(chain.kubectl().run("get", "configmap", "through-the-chain").exit()).isNotZero();
    }

    @Test
    void watchEventsArriveWhileTheResponseIsOpenAndClosingKubectlCancelsTheUpstreamWatch() throws Exception {
        assumeTrue(chain.hasSandbox(), "counting open watches needs the sandbox");
        int before = chain.apiserver.openWatchCount();
        try (var watch = chain.kubectl().start("get", "configmaps", "-w", "--output-watch-events")) {
            await().atMost(Duration.ofSeconds(20)).until(() -> chain.apiserver.openWatchCount() > before);
            chain.kubectl().run("create", "configmap", "watched-1", "--from-literal=k=v").ok();
            assertThat(watch.awaitLine("watched-1", Duration.ofSeconds(20))).contains("ADDED");
            chain.kubectl().run("delete", "configmap", "watched-1").ok();
            assertThat(watch.awaitLine("watched-1", Duration.ofSeconds(20))).contains("DELETED");
            assertThat(watch.isAlive()).isTrue();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> chain.apiserver.openWatchCount() == before);
    }

    @Test
    void aWatchClosedBeforeItsFirstEventIsCancelledUpstreamToo() throws Exception {
        assumeTrue(chain.hasSandbox(), "counting open watches needs the sandbox");
        int before = chain.apiserver.openWatchCount();
        try (var watch = chain.kubectl().start("get", "secrets", "-w", "--watch-only")) {
            await().atMost(Duration.ofSeconds(20)).until(() -> chain.apiserver.openWatchCount() > before);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> chain.apiserver.openWatchCount() == before);
    }

    @Test
    void logsFollowStreamsLinesAsTheyAreWritten() throws Exception {
        assumeTrue(chain.hasSandbox(), "logs need a kubelet");
        try (var logs = chain.kubectl().start("logs", "-f", "demo-0")) {
            chain.apiserver.appendLog("default", "demo-0", "line-through-the-chain-1");
            logs.awaitLine("line-through-the-chain-1", Duration.ofSeconds(20));
            chain.apiserver.appendLog("default", "demo-0", "line-through-the-chain-2");
            logs.awaitLine("line-through-the-chain-2", Duration.ofSeconds(20));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> chain.apiserver.openLogFollowCount() == 0);
    }


    @Test
    void clientImpersonationHeadersAreRefusedBeforeTheApiserver() throws Exception {
        assumeTrue(chain.hasSandbox(), "the sandbox records the headers it receives");
        chain.apiserver.clearRecords();
        var result = chain.kubectl().run("--as=system:admin", "get", "pods");
        assertThat(result.exit()).isNotZero();
        assertThat(result.err()).contains("Forbidden").contains("impersonation headers are not accepted");
        assertThat(chain.apiserver.requests()).noneMatch(r -> r.headers("Impersonate-User").contains("system:admin"));
    }
}
