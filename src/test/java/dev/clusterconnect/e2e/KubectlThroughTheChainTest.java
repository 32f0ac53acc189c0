package dev.clusterconnect.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.clusterconnect.sandbox.RecordedRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real kubectl, through proxy, relay and agent, against the sandbox apiserver or, with
 * {@code CC_E2E_KUBECONFIG}, a real cluster (in a namespace of the chain's own; what only the
 * sandbox can tell, such as the headers it received or its count of open watches, is checked
 * there alone).
 */
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
        String first = chain.pod(0);
        String second = chain.pod(1);
        if (chain.hasSandbox()) {
            chain.apiserver.clearRecords();
        }

        var result = chain.kubectl().run("get", "pods").ok();
        assertThat(result.out()).contains(first).contains(second);
        if (chain.hasSandbox()) {
            RecordedRequest request =
                    chain.apiserver.awaitRequest(r -> r.path().endsWith("/pods"), Duration.ofSeconds(5));
            assertThat(request.headers("Impersonate-User")).containsExactly("alice");
            assertThat(request.header("Authorization")).contains("Bearer agent-secret-token");
        } else {
            // the cluster decided as alice: she may list where she is bound, and nowhere else
            var elsewhere = chain.kubectl().run("get", "pods", "-n", "kube-system");
            assertThat(elsewhere.err())
                    .contains("pods is forbidden: User \"alice\" cannot list resource \"pods\" in API group \"\" "
                            + "in the namespace \"kube-system\"");
        }
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
        assertThat(chain.kubectl().run("apply", "-f", manifest.toString()).ok().out())
                .contains("configured");
        Files.writeString(manifest, Files.readString(manifest).replace("\"2\"", "\"3\""));
        chain.kubectl().run("apply", "--server-side", "-f", manifest.toString()).ok();
        assertThat(chain.kubectl()
                        .run("get", "configmap", "through-the-chain", "-o", "jsonpath={.data.a}")
                        .ok()
                        .out())
                .isEqualTo("3");
        chain.kubectl().run("delete", "configmap", "through-the-chain").ok();
        assertThat(chain.kubectl().run("get", "configmap", "through-the-chain").exit())
                .isNotZero();
    }

    @Test
    void watchEventsArriveWhileTheResponseIsOpenAndClosingKubectlCancelsTheUpstreamWatch() throws Exception {
        int before = openWatches();
        try (var watch = chain.kubectl().start("get", "configmaps", "-w", "--output-watch-events")) {
            await().atMost(Duration.ofSeconds(20)).until(() -> openWatches() > before);
            chain.kubectl()
                    .run("create", "configmap", "watched-1", "--from-literal=k=v")
                    .ok();
            assertThat(watch.awaitLine("watched-1", Duration.ofSeconds(20))).contains("ADDED");
            chain.kubectl().run("delete", "configmap", "watched-1").ok();
            assertThat(watch.awaitLine("watched-1", Duration.ofSeconds(20))).contains("DELETED");
            assertThat(watch.isAlive()).isTrue();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> openWatches() == before);
    }

    @Test
    void aWatchClosedBeforeItsFirstEventIsCancelledUpstreamToo() throws Exception {
        int before = openWatches();
        try (var watch = chain.kubectl().start("get", "secrets", "-w", "--watch-only")) {
            await().atMost(Duration.ofSeconds(20)).until(() -> openWatches() > before);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> openWatches() == before);
    }

    /**
     * Watches open at the sandbox; on a real cluster, which does not say, the streams open in the
     * agent's tunnel (each watch holds one until the apiserver's response ends).
     */
    private static int openWatches() {
        return chain.hasSandbox()
                ? chain.apiserver.openWatchCount()
                : chain.agents().openStreams();
    }

    @Test
    void logsFollowStreamsLinesAsTheyAreWritten() throws Exception {
        String pod = chain.pod(0);
        // on a real cluster --tail=0: only the lines its loop writes from now on
        try (var logs = chain.hasSandbox()
                ? chain.kubectl().start("logs", "-f", pod)
                : chain.kubectl().start("logs", "-f", "--tail=0", pod)) {
            if (chain.hasSandbox()) {
                chain.apiserver.appendLog("default", pod, "line-through-the-chain-1");
                logs.awaitLine("line-through-the-chain-1", Duration.ofSeconds(20));
                chain.apiserver.appendLog("default", pod, "line-through-the-chain-2");
                logs.awaitLine("line-through-the-chain-2", Duration.ofSeconds(20));
            } else {
                // the pod logs "tick <n> from <pod>" every second
                String first = logs.awaitLine("from " + pod, Duration.ofSeconds(20));
                assertThat(logs.awaitLine("from " + pod, Duration.ofSeconds(20)))
                        .isNotEqualTo(first);
            }
        }
        if (chain.hasSandbox()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> chain.apiserver.openLogFollowCount() == 0);
        }
    }

    @Test
    void clientImpersonationHeadersAreRefusedBeforeTheApiserver() throws Exception {
        if (chain.hasSandbox()) {
            chain.apiserver.clearRecords();
        }
        var result = chain.kubectl().run("--as=system:admin", "get", "pods");
        assertThat(result.exit()).isNotZero();
        assertThat(result.err()).contains("Forbidden").contains("impersonation headers are not accepted");
        if (chain.hasSandbox()) {
            assertThat(chain.apiserver.requests())
                    .noneMatch(r -> r.headers("Impersonate-User").contains("system:admin"));
        }
    }
}
