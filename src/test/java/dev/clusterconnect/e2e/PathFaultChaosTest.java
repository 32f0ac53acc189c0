package dev.clusterconnect.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clusterconnect.proxy.kubeconfig.BearerTokenCredential;
import dev.clusterconnect.proxy.kubeconfig.KubeconfigEntry;
import dev.clusterconnect.proxy.kubeconfig.StandaloneKubeconfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Faults on the agent's two paths, made by the {@link TcpForwarder}s of {@link ChaosChain}: an
 * apiserver that accepts and never reads, one that resets connections, and a path to the relay
 * that silently drops everything. kubectl gets a clear error within its timeout, the other
 * streams of the tunnel keep working, the heartbeat notices a dead peer within its timeout, and
 * requests succeed again within {@link ChaosChain#RECOVERY} of the fault clearing. Each test
 * prints its figures; docs/chaos.md has one run's.
 */
class PathFaultChaosTest {

    private static ChaosChain chain;
    /** kubectl straight to the sandbox, bypassing the agent's path: what the apiserver has, and a way to change it. */
    private static Kubectl direct;

    @BeforeAll
    static void start() throws Exception {
        chain = ChaosChain.start();
        Path kubeconfig = chain.dir.resolve("direct.kubeconfig");
        Files.writeString(
                kubeconfig,
                StandaloneKubeconfig.render(KubeconfigEntry.named(
                        "sandbox",
                        URI.create(chain.apiserver.url()),
                        chain.apiserver.caCertificatePem(),
                        new BearerTokenCredential("agent-secret-token"))));
        direct = new Kubectl(Kubectl.DEFAULT, kubeconfig);
    }

    @AfterAll
    static void stop() throws Exception {
        if (chain != null) {
            chain.close();
            chain.store.assertFileHolds(0);
        }
    }

    @AfterEach
    void heal() throws Exception {
        chain.heal();
    }

    @Test
    void anApiserverThatStopsReadingGetsKubectlAClearErrorAndSparesTheOtherStreams() throws Exception {
        chain.rounds(round -> apiserverFault(TcpForwarder.Mode.STOP_READING, "stops reading", round));
    }

    @Test
    void anApiserverThatResetsConnectionsGetsKubectlAClearErrorAndSparesTheOtherStreams() throws Exception {
        chain.rounds(round -> apiserverFault(TcpForwarder.Mode.RESET, "resets connections", round));
    }

    private void apiserverFault(TcpForwarder.Mode mode, String what, int round) throws Exception {
        String tag = mode.name().toLowerCase().replace('_', '-') + "-" + round;
        try (Kubectl.Running watch = chain.kubectl().start("get", "configmaps", "--watch")) {
            ChaosChain.awaitWatching(watch, direct, tag + "-before");

            chain.apiserverPath.mode(mode);
            long faulted = System.nanoTime();
            try (Kubectl.Running get = chain.kubectl().start("get", "pods", ChaosChain.REQUEST_TIMEOUT_FLAG)) {
                assertThat(get.awaitExit(ChaosChain.REQUEST_TIMEOUT))
                        .as("kubectl ended within its own timeout")
                        .isTrue();
                long errorMillis = (System.nanoTime() - faulted) / 1_000_000;
                assertThat(get.exitValue()).isNotZero();
                assertThat(get.stderr())
                        .as("kubectl names what went wrong")
                        .containsAnyOf("sandbox", "upstream", "apiserver");
                // the same tunnel still carries the watch opened before the fault: its events come through
                direct.run("create", "configmap", tag + "-during", "--from-literal=k=v")
                        .ok();
                watch.awaitLine(tag + "-during", Duration.ofSeconds(10));
                assertThat(chain.store.relaySaysConnected())
                        .as("the tunnel stayed up")
                        .isTrue();

                chain.apiserverPath.mode(TcpForwarder.Mode.PASS);
                long cleared = System.nanoTime();
                long recoveryMillis = (chain.awaitAnswering() - cleared) / 1_000_000;
                System.out.printf(
                        "chaos: round %d: apiserver %s: kubectl failed after %d ms (agent's head deadline %d ms, kubectl's timeout %d s): %s"
                                + "chaos: round %d: apiserver %s: the open watch kept its events; requests succeeded %d ms after the fault cleared"
                                + " (bound %d ms)%n",
                        round,
                        what,
                        errorMillis,
                        ChaosChain.APISERVER_HEAD_TIMEOUT.toMillis(),
                        ChaosChain.REQUEST_TIMEOUT.toSeconds(),
                        get.stderr(),
                        round,
                        what,
                        recoveryMillis,
                        ChaosChain.RECOVERY_BOUND.toMillis());
                assertThat(recoveryMillis).isLessThanOrEqualTo(ChaosChain.RECOVERY_BOUND.toMillis());
            }
        }
        assertThat(chain.kubectl().run("get", "configmaps", "-o", "name").ok().out())
                .contains(tag + "-during");
        chain.store.assertRelayServes(0);
    }

    @Test
    void aPathThatDropsEverythingIsNoticedByBothHeartbeatsAndTheAgentComesBack() throws Exception {
        chain.rounds(this::blackHole);
    }

    private void blackHole(int round) throws Exception {
        String tag = "black-hole-" + round;
        try (Kubectl.Running watch =
                chain.kubectl().start("get", "configmaps", "--watch", ChaosChain.REQUEST_TIMEOUT_FLAG)) {
            ChaosChain.awaitWatching(watch, chain.kubectl(), tag);

            chain.relayPath.mode(TcpForwarder.Mode.BLACK_HOLE);
            long faulted = System.nanoTime();
            long agentNoticed = -1;
            long relayNoticed = -1;
            long until = faulted + Duration.ofSeconds(20).toNanos();
            while ((agentNoticed < 0 || relayNoticed < 0) && System.nanoTime() < until) {
                if (agentNoticed < 0 && chain.readiness(ChaosChain.AGENT) != 200) {
                    agentNoticed = (System.nanoTime() - faulted) / 1_000_000;
                }
                if (relayNoticed < 0 && Boolean.FALSE.equals(chain.store.relaySaysConnected())) {
                    relayNoticed = (System.nanoTime() - faulted) / 1_000_000;
                }
                Thread.sleep(20);
            }
            assertThat(agentNoticed)
                    .as("the agent's heartbeat noticed")
                    .isBetween(0L, ChaosChain.DETECTION_BOUND.toMillis());
            assertThat(relayNoticed)
                    .as("the relay's heartbeat noticed")
                    .isBetween(0L, ChaosChain.DETECTION_BOUND.toMillis());
            assertThat(watch.awaitExit(ChaosChain.REQUEST_TIMEOUT))
                    .as("the watch on the dead tunnel ended")
                    .isTrue();
            long watchEnded = (System.nanoTime() - faulted) / 1_000_000;

            // While the path is still dead: a request gets an answer, not a hang.
            long asked = System.nanoTime();
            try (Kubectl.Running get = chain.kubectl().start("get", "pods", ChaosChain.REQUEST_TIMEOUT_FLAG)) {
                assertThat(get.awaitExit(ChaosChain.REQUEST_TIMEOUT))
                        .as("kubectl ended within its own timeout")
                        .isTrue();
                assertThat(get.exitValue()).isNotZero();
                long refusedMillis = (System.nanoTime() - asked) / 1_000_000;

                chain.relayPath.mode(TcpForwarder.Mode.PASS);
                long cleared = System.nanoTime();
                long recoveryMillis = (chain.awaitAnswering() - cleared) / 1_000_000;
                System.out.printf(
                        "chaos: round %d: black hole between agent and relay: the agent noticed after %d ms, the relay after %d ms"
                                + " (heartbeat %d ms / timeout %d ms, bound %d ms); the watch ended after %d ms; a request meanwhile"
                                + " failed after %d ms: %s"
                                + "chaos: round %d: black hole: requests succeeded %d ms after the path came back (bound %d ms)%n",
                        round,
                        agentNoticed,
                        relayNoticed,
                        ChaosChain.HEARTBEAT_INTERVAL.toMillis(),
                        ChaosChain.HEARTBEAT_TIMEOUT.toMillis(),
                        ChaosChain.DETECTION_BOUND.toMillis(),
                        watchEnded,
                        refusedMillis,
                        get.stderr(),
                        round,
                        recoveryMillis,
                        ChaosChain.RECOVERY_BOUND.toMillis());
                assertThat(recoveryMillis).isLessThanOrEqualTo(ChaosChain.RECOVERY_BOUND.toMillis());
            }
        }
        assertThat(chain.kubectl()
                        .run("exec", "demo-0", "--", "echo", "after")
                        .ok()
                        .out())
                .isEqualTo("after\n");
        chain.store.assertRelayServes(0);
    }
}
