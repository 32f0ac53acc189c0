package dev.clusterconnect.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Across a relay restart a watch and an exec end cleanly, and kubectl works again within seconds. */
class RelayRestartTest {

    private static Chain chain;

    @BeforeAll
    static void startChain() throws Exception {
        chain = Chain.start("alice");
        org.junit.jupiter.api.Assumptions.assumeTrue(chain.hasSandbox(), "the exec needs the sandbox's pods");
    }

    @AfterAll
    static void stopChain() throws Exception {
        chain.close();
    }

    @Test
    void aWatchAndAnExecEndCleanlyAcrossARelayRestartAndKubectlWorksAgain() throws Exception {
        Kubectl kubectl = chain.kubectl();
        try (var watch = kubectl.start("get", "configmaps", "-w");
                var exec = kubectl.start("exec", "-i", "demo-0", "--", "cat")) {
            await().atMost(Duration.ofSeconds(20)).until(() -> chain.apiserver.openWatchCount() > 0);
            exec.write("before the restart\n");
            exec.awaitLine("before the restart", Duration.ofSeconds(20));

            long stopping = System.nanoTime();
            chain.restartRelay();
            // Both kubectl processes are told the connection ended: they exit instead of hanging.
            await().atMost(Duration.ofSeconds(30)).until(() -> !watch.isAlive() && !exec.isAlive());
            await().atMost(Duration.ofSeconds(30)).until(() -> chain.agents().isConnected(chain.clusterId));
            assertThat(kubectl.run("get", "pods").ok().out()).contains("demo-0");
            System.out.printf("relay restart: kubectl worked again %d ms after the stop began%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopping));
        }
    }
}
