package dev.clusterconnect.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each kubectl from 1.27 to 1.33 through the chain, on the cluster's own proxy port (decision #15):
 * discovery, --raw paths, get, apply, delete, logs, exec, auth can-i and whoami (from 1.28). A
 * version missing from the machine is skipped, named. kubectl before 1.29 reads the OpenAPI v2
 * document (protobuf) for apply, which the sandbox serves since this test found it missing.
 */
class KubectlVersionsTest {

    static Chain chain;

    @BeforeAll
    static void startChain(org.junit.jupiter.api.TestInfo test) throws Exception {
        chain = Chain.startFor(test, "alice", "dev", "ops");
    }

    @AfterAll
    static void stopChain() throws Exception {
        if (chain != null) {
            chain.close();
        }
    }

    static Stream<Integer> minors() {
        return IntStream.rangeClosed(27, 33).boxed();
    }

    @ParameterizedTest(name = "kubectl 1.{0}")
    @MethodSource("minors")
    void everyVerbWorks(int minor) throws Exception {
        String binary = Kubectl.version(minor);
        assumeTrue(Kubectl.available(binary), binary + " is not on this machine");
        Kubectl kubectl = chain.kubectl(binary);
        String name = "v" + minor;

        assertThat(kubectl.run("version", "-o", "json").ok().out()).contains("\"serverVersion\"");
        assertThat(kubectl.run("get", "--raw", "/readyz").ok().out()).isEqualTo("ok");
        assertThat(kubectl.run("get", "--raw", "/api").ok().out()).contains("\"APIVersions\"");
        assertThat(kubectl.run("api-resources").ok().out()).contains("configmaps");
        String manifest = """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: %s}
                data: {minor: "%d"}
                """.formatted(name, minor);
        assertThat(kubectl.run(manifest.getBytes(StandardCharsets.UTF_8), "apply", "-f", "-")
                        .ok()
                        .out())
                .contains("configmap/" + name);
        assertThat(kubectl.run("get", "configmap", name, "-o", "jsonpath={.data.minor}")
                        .ok()
                        .out())
                .isEqualTo(String.valueOf(minor));
        assertThat(kubectl.run("delete", "configmap", name).ok().out()).contains("deleted");
        if (chain.hasSandbox()) {
            String pod = chain.pod(0);
            assertThat(kubectl.run("get", "pods").ok().out()).contains(pod);
            assertThat(kubectl.run("logs", pod, "--tail=1").ok().out()).isNotEmpty();
            assertThat(kubectl.run("exec", pod, "--", "echo", "from", name).ok().out())
                    .isEqualTo("from " + name + "\n");
        }
        assertThat(kubectl.run("auth", "can-i", "list", "configmaps").ok().out())
                .isEqualTo("yes\n");
        if (minor >= 28) {
            // kubectl 1.27 asks for SelfSubjectReview v1alpha1 or v1beta1, which this v1.32 apiserver
            // does not serve (v1 since 1.28)
            assertThat(kubectl.run("auth", "whoami").ok().out()).contains("alice");
        }
    }
}
