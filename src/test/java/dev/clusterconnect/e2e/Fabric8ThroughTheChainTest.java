package dev.clusterconnect.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fabric8 Kubernetes client (what camel-kubernetes and many Java tools use) reads the kubeconfig
 * the chain writes, on the cluster's own proxy port, and lists, writes and execs through it: a client that is not client-go keeps the server URL's host and port, which is why the proxy
 * chooses the cluster by port (decision #15). Not here yet: a fabric8 watch, which saw no event
 * through the chain in a first try and whose close did not return (left open in issue 15's note).
 */
class Fabric8ThroughTheChainTest {

    static Chain chain;
    static KubernetesClient client;

    @BeforeAll
    static void start(org.junit.jupiter.api.TestInfo test) throws Exception {
        chain = Chain.startFor(test, "alice", "dev", "ops");
        client = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(Files.readString(chain.kubeconfig)))
                .build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (chain != null) {
            chain.close();
        }
    }

    @Test
    void discoveryListWriteAndDelete() {
        assertThat(client.getKubernetesVersion().getGitVersion()).isNotBlank();
        String namespace = chain.namespace();
        client.configMaps()
                .inNamespace(namespace)
                .resource(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("from-fabric8")
                        .endMetadata()
                        .addToData("k", "v")
                        .build())
                .create();
        assertThat(client.configMaps().inNamespace(namespace).list().getItems())
                .extracting(c -> c.getMetadata().getName())
                .contains("from-fabric8");
        assertThat(client.configMaps()
                        .inNamespace(namespace)
                        .withName("from-fabric8")
                        .get()
                        .getData())
                .containsEntry("k", "v");
        assertThat(client.configMaps()
                        .inNamespace(namespace)
                        .withName("from-fabric8")
                        .delete())
                .isNotEmpty();
    }

    @Test
    void execRunsACommandInAPod() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(chain.hasSandbox(), "exec needs the sandbox's pods");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ExecWatch exec = client.pods()
                .inNamespace(chain.namespace())
                .withName(chain.pod(0))
                .writingOutput(out)
                .exec("echo", "from", "fabric8")) {
            assertThat(exec.exitCode().get(20, TimeUnit.SECONDS)).isZero();
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("from fabric8\n");
    }
}
