package dev.clusterconnect.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A scenario that fails on purpose after its chain wrote to the cluster, for
 * {@link RealModeAgainstAnExternalApiserverTest} to see that the chain's namespace goes all the
 * same. Not run by surefire on its own: its name does not end in {@code Test}.
 */
class FailingScenarioInRealMode {

    private static Chain chain;

    @BeforeAll
    static void startChain() throws Exception {
        chain = Chain.start("alice", "dev");
    }

    @AfterAll
    static void stopChain() throws Exception {
        chain.close();
    }

    @Test
    void failsAfterWritingToTheCluster() throws Exception {
        chain.kubectl()
                .run("create", "configmap", "written-before-failing", "--from-literal=k=v")
                .ok();
        fail("fails on purpose: what the chain made must be removed all the same");
    }
}
