package dev.clusterconnect.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Real-cluster mode ({@code CC_E2E_KUBECONFIG}) kept working by {@code mvn verify}: the scenarios of
 * {@link KubectlThroughTheChainTest} run, in a JVM of their own, against the sandbox started as a
 * separate cluster with RBAC and nothing in it, the agent holding only the rights docs/testing.md
 * gives it. The suite must make its namespace, bindings, pods and data itself, skip nothing, and
 * leave nothing behind when each class ends, also when a scenario fails.
 */
class RealModeAgainstAnExternalApiserverTest {

    private static final List<String> SCENARIOS = List.of(
            "getListsPodsAsTheImpersonatedUser",
            "createApplyServerSideApplyAndDelete",
            "watchEventsArriveWhileTheResponseIsOpenAndClosingKubectlCancelsTheUpstreamWatch",
            "aWatchClosedBeforeItsFirstEventIsCancelledUpstreamToo",
            "logsFollowStreamsLinesAsTheyAreWritten",
            "clientImpersonationHeadersAreRefusedBeforeTheApiserver");

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void theKubectlScenariosPassOnANewClusterWithRbacAndLeaveNothingBehind() throws Exception {
        assumeTrue(Chain.REAL_CLUSTER == null, "already running in real mode");
        try (ExternalApiserver cluster = ExternalApiserver.start()) {
            Path log = cluster.dir.resolve("real-mode-run.log");
            Process run = cluster.realModeJvm(
                            RealModeRun.class.getName(),
                            List.of(
                                    KubectlThroughTheChainTest.class.getName(),
                                    FailingScenarioInRealMode.class.getName()))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (!run.waitFor(4, TimeUnit.MINUTES)) {
                run.destroyForcibly();
            }
            String output = Files.readString(log);
            List<String> results =
                    output.lines().filter(l -> l.startsWith("RESULT ")).toList();

            for (String scenario : SCENARIOS) {
                assertThat(results).as(output).contains("RESULT SUCCESSFUL KubectlThroughTheChainTest#" + scenario);
            }
            assertThat(results)
                    .as(output)
                    .filteredOn(l -> l.contains("KubectlThroughTheChainTest"))
                    .hasSize(SCENARIOS.size());
            assertThat(results)
                    .as(output)
                    .anyMatch(l -> l.startsWith("RESULT FAILED FailingScenarioInRealMode#failsAfterWritingToTheCluster")
                            && l.contains("fails on purpose"));

            // each chain removed its namespace on closing, not the JVM's shutdown hook
            assertThat(results).as(output).noneMatch(l -> l.startsWith("RESULT LEFT"));
            Kubectl admin = cluster.admin();
            assertThat(admin.run("get", "namespaces", "-l", RealCluster.LABEL, "-o", "name")
                            .ok()
                            .out())
                    .as("namespaces left")
                    .isEmpty();
            assertThat(admin.run("get", "rolebindings", "-A", "-o", "name").ok().out())
                    .as("bindings left")
                    .isEmpty();
            assertThat(admin.run("get", "pods,configmaps", "-A", "-o", "name")
                            .ok()
                            .out())
                    .as("objects left")
                    .isEmpty();
        }
    }
}
