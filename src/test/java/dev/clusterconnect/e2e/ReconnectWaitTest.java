package dev.clusterconnect.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A request for a cluster whose agent just lost its tunnel waits for the agent to come back
 * (up to {@code relay.tunnel.reconnect-wait}) instead of failing, and is served on the new tunnel
 * the moment it is up: the request's OPEN is the first frame the new tunnel carries.
 */
class ReconnectWaitTest {

    private static Chain chain;

    @BeforeAll
    static void start() throws Exception {
        chain = Chain.start("alice");
    }

    @AfterAll
    static void stop() throws Exception {
        chain.close();
    }

    @Test
    void aRequestWaitsForTheAgentsNewTunnelAndIsServedOnIt() throws Exception {
        // the chain's own namespace: on a real cluster alice may read it and nothing else of cluster scope
        assertThat(chain.kubectl()
                        .run("get", "namespace", chain.namespace())
                        .ok()
                        .out())
                .contains(chain.namespace());
        chain.agent.stop();
        await().atMost(Duration.ofSeconds(10)).until(() -> !chain.agents().isConnected(chain.clusterId));

        CompletableFuture<Kubectl.Result> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return chain.kubectl().run("get", "namespace", chain.namespace());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Main again = Chain.agent(chain.dir, chain.relayPort, chain.clusterId, chain.issuer);
        again.addOverrideProperty(
                "agent.key.file", chain.dir.resolve("agent-key.json").toString());
        try {
            Thread.sleep(500); // the request is in flight and waiting before the agent returns
            again.start();
            Kubectl.Result result = waiting.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(result.exit()).as(result.err()).isZero();
            assertThat(result.out()).contains(chain.namespace());
        } finally {
            again.stop();
        }
    }

    @Test
    void aClusterNobodyHoldsIsAnsweredAtOnce() throws Exception {
        // Never connected since the relay started: nothing to wait for, 503 at once.
        String lonely =
                Chain.registerCluster(chain.relay, "lonely", chain.dir.resolve("lonely-token"), Duration.ofMinutes(5));
        long start = System.nanoTime();
        var result = chain.kubectl()
                .run(
                        "--server",
                        "https://127.0.0.1:" + Chain.boundPort(chain.proxy, "proxy-local") + "/clusters/" + lonely,
                        "get",
                        "namespaces");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(result.exit()).isNotZero();
        assertThat(result.err()).contains("ServiceUnavailable");
        System.out.printf("a cluster nobody holds: refused in %d ms (kubectl included)%n", millis);
    }
}
