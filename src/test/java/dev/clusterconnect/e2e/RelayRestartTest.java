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
    }

    @AfterAll
    static void stopChain() throws Exception {
        chain.close();
    }

    @Test
    void aWatchAndAnExecEndCleanlyAcrossARelayRestartAndKubectlWorksAgain() throws Exception {
        Kubectl kubectl = chain.kubectl();
        String pod = chain.pod(0);
        try (var watch = kubectl.start("get", "configmaps", "-w");
                var exec = kubectl.start("exec", "-i", pod, "--", "cat")) {
            // the watch is open upstream (the sandbox counts it; on a real cluster it holds a stream of the tunnel)
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> chain.hasSandbox()
                            ? chain.apiserver.openWatchCount() > 0
                            : chain.agents().openStreams() >= 2);
            exec.write("before the restart\n");
            exec.awaitLine("before the restart", Duration.ofSeconds(20));

            long stopping = System.nanoTime();
            chain.restartRelay();
            // Both kubectl processes are told the connection ended: they exit instead of hanging.
            await().atMost(Duration.ofSeconds(30)).until(() -> !watch.isAlive() && !exec.isAlive());
            await().atMost(Duration.ofSeconds(30)).until(() -> chain.agents().isConnected(chain.clusterId));
            assertThat(kubectl.run("get", "pods").ok().out()).contains(pod);
            System.out.printf(
                    "relay restart: kubectl worked again %d ms after the stop began%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopping));
        }
    }
}
