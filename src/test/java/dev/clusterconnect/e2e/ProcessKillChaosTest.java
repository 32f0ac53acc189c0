package dev.clusterconnect.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of the agent, and of the relay, in the middle of each kind of stream kubectl keeps
 * open: a watch, an exec session, a 100 MiB LIST. kubectl must end by itself (an error, or the
 * watch ends) well inside its own --request-timeout; once the killed process is back, requests
 * succeed within {@link ChaosChain#RECOVERY}; a grant the relay committed just before its death
 * is still in the store. Each test prints its figures; docs/chaos.md has one run's.
 */
class ProcessKillChaosTest {

    private static ChaosChain chain;
    private static int grants;

    @BeforeAll
    static void start() throws Exception {
        chain = ChaosChain.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (chain != null) {
            chain.close();
            chain.store.assertFileHolds(grants);
        }
    }

    /** A failed test must not leave the next one without its processes. */
    @AfterEach
    void heal() throws Exception {
        chain.heal();
    }

    @Test
    void agentKilledDuringAWatch() throws Exception {
        chain.rounds(round -> killDuringWatch(ChaosChain.AGENT, round));
    }

    @Test
    void relayKilledDuringAWatch() throws Exception {
        chain.rounds(round -> killDuringWatch(ChaosChain.RELAY, round));
    }

    @Test
    void agentKilledDuringAnExecSession() throws Exception {
        chain.rounds(round -> killDuringExec(ChaosChain.AGENT, round));
    }

    @Test
    void relayKilledDuringAnExecSession() throws Exception {
        chain.rounds(round -> killDuringExec(ChaosChain.RELAY, round));
    }

    @Test
    void agentKilledDuringALargeList() throws Exception {
        chain.rounds(round -> killDuringList(ChaosChain.AGENT, round));
    }

    @Test
    void relayKilledDuringALargeList() throws Exception {
        chain.rounds(round -> killDuringList(ChaosChain.RELAY, round));
    }

    private void killDuringWatch(String victim, int round) throws Exception {
        String name = "watched-" + victim + "-" + round;
        try (Kubectl.Running watch =
                chain.kubectl().start("get", "configmaps", "--watch", ChaosChain.REQUEST_TIMEOUT_FLAG)) {
            ChaosChain.awaitWatching(watch, chain.kubectl(), name);
            long ended = killAndAwaitEnd(victim, watch);
            recover(victim, "watch", round, ended, watch.exitValue());
        }
    }

    private void killDuringExec(String victim, int round) throws Exception {
        try (Kubectl.Running shell =
                chain.kubectl().start("exec", "-i", "demo-0", ChaosChain.REQUEST_TIMEOUT_FLAG, "--", "cat")) {
            shell.write("before\n");
            shell.awaitLine("before", Duration.ofSeconds(15));
            long ended = killAndAwaitEnd(victim, shell);
            assertThat(shell.exitValue())
                    .as("exec cut by a dead " + victim + " is an error; stderr: " + shell.stderr())
                    .isNotZero();
            recover(victim, "exec -i", round, ended, shell.exitValue());
        }
        assertThat(chain.kubectl()
                        .run("exec", "demo-0", "--", "echo", "after")
                        .ok()
                        .out())
                .isEqualTo("after\n");
    }

    private void killDuringList(String victim, int round) throws Exception {
        long before = chain.apiserverPath.bytesToClient();
        try (Kubectl.Running list = chain.kubectl()
                .start(
                        "get",
                        "--raw",
                        "/clusters/" + chain.cluster + "/api/v1/namespaces/bulk/configmaps",
                        ChaosChain.REQUEST_TIMEOUT_FLAG)) {
            // in the middle: a fifth of the list has left the apiserver for the agent
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(5))
                    .until(() -> chain.apiserverPath.bytesToClient() - before > ChaosChain.BULK_BYTES / 5
                            || !list.isAlive());
            assertThat(list.isAlive())
                    .as("the LIST is under way when the " + victim + " dies; stderr: " + list.stderr())
                    .isTrue();
            long ended = killAndAwaitEnd(victim, list);
            assertThat(list.exitValue())
                    .as("a LIST cut by a dead " + victim + " is an error, never a short success; stderr: "
                            + list.stderr())
                    .isNotZero();
            System.out.printf(
                    "chaos: round %d: %s killed after %d MiB of the %d MiB LIST had left the apiserver%n",
                    round, victim, (chain.apiserverPath.bytesToClient() - before) >> 20, ChaosChain.BULK_BYTES >> 20);
            recover(victim, "100 MiB LIST", round, ended, list.exitValue());
        }
        assertThat(chain.kubectl().run("get", "pods", "-o", "name").ok().out()).contains("pod/demo-0");
    }

    /**
     * Commits a grant at the relay, kills {@code victim} at once, and waits for kubectl to end by
     * itself, never past its own timeout. @return milliseconds from the kill to kubectl's exit
     */
    private long killAndAwaitEnd(String victim, Kubectl.Running kubectl) throws Exception {
        chain.store.grant("chaos-" + ++grants);
        long killed = System.nanoTime();
        chain.kill(victim);
        boolean ended = kubectl.awaitExit(ChaosChain.REQUEST_TIMEOUT);
        long millis = (System.nanoTime() - killed) / 1_000_000;
        assertThat(ended)
                .as("kubectl ended within its own --request-timeout after the " + victim + " died")
                .isTrue();
        return millis;
    }

    /** Starts {@code victim} again and measures until requests succeed; checks the store as the relay serves it. */
    private void recover(String victim, String stream, int round, long kubectlEndedMillis, int exit) throws Exception {
        ChaosChain.Recovery recovery = chain.restart(victim);
        System.out.printf(
                "chaos: round %d: %s killed during %s: kubectl ended after %d ms (exit %d, its timeout %d s);"
                        + " restarted %s ready after %d ms; requests succeeded %d ms after that (bound %d ms)%n",
                round,
                victim,
                stream,
                kubectlEndedMillis,
                exit,
                ChaosChain.REQUEST_TIMEOUT.toSeconds(),
                victim,
                recovery.startMillis(),
                recovery.answeringMillis(),
                ChaosChain.RECOVERY_BOUND.toMillis());
        assertThat(recovery.answeringMillis())
                .as("requests succeed again after the restarted " + victim + " is ready")
                .isLessThanOrEqualTo(ChaosChain.RECOVERY_BOUND.toMillis());
        chain.store.assertRelayServes(grants);
    }
}
