package dev.clusterconnect.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every refusal of ours reaches kubectl's output with its reason, in direct mode (kubectl to the
 * relay) and through the local proxy. kubectl reads its first requests (discovery) raw and, for
 * those, prints a Status's message as "unknown" (403) or not at all (401); the reason travels in a
 * {@code Warning} header too, which kubectl prints for every response.
 */
class RefusalReasonsInKubectlTest {

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
    void aCallerWithoutAGrantIsToldWhichClusterHeMayNotReach() throws Exception {
        Kubectl.Result refused =
                direct(chain.clusterId, chain.issuer.token("mallory")).run("get", "pods");
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.err()).contains("user mallory may not reach cluster " + chain.clusterId);
    }

    @Test
    void anUnknownClusterIsNamedAsNotFound() throws Exception {
        Kubectl.Result refused =
                direct("no-such-cluster", chain.issuer.token("alice")).run("get", "pods");
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.err()).contains("cluster no-such-cluster not found");
    }

    @Test
    void anExpiredTokenAndATokenForAnotherAudienceSayWhy() throws Exception {
        Kubectl.Result expired = direct(chain.clusterId, chain.issuer.token("alice", Issuer.AUDIENCE, -120))
                .run("get", "pods");
        assertThat(expired.exit()).isNotZero();
        assertThat(expired.err()).containsIgnoringCase("expired");
        Kubectl.Result elsewhere = direct(chain.clusterId, chain.issuer.token("alice", "another-service", 600))
                .run("get", "pods");
        assertThat(elsewhere.exit()).isNotZero();
        assertThat(elsewhere.err())
                .contains("token audience is [\"another-service\"], expected " + Issuer.AUDIENCE)
                .contains("Keycloak: an Audience mapper on the client");
    }

    @Test
    void aReservedSystemGroupIsRefusedNamingIt() throws Exception {
        Kubectl.Result refused = direct(chain.clusterId, chain.issuer.token("alice", "system:masters"))
                .run("get", "pods");
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.err()).contains("system:");
    }

    @Test
    void impersonationIsRefusedWithItsReasonInBothModes() throws Exception {
        Kubectl.Result direct =
                direct(chain.clusterId, chain.issuer.token("alice")).run("get", "pods", "--as=root");
        assertThat(direct.exit()).isNotZero();
        assertThat(direct.err()).containsIgnoringCase("impersonat");
        Kubectl.Result proxied = chain.kubectl().run("get", "pods", "--as=root");
        assertThat(proxied.exit()).isNotZero();
        assertThat(proxied.err()).containsIgnoringCase("impersonat");
    }

    /** kubectl straight to the relay for {@code clusterId}, with a static token. */
    private static Kubectl direct(String clusterId, String token) throws Exception {
        Path kubeconfig = Files.createTempFile(chain.dir, "direct-", ".kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: relay
                  cluster:
                    server: https://127.0.0.1:%d/clusters/%s
                    certificate-authority: %s
                users:
                - name: caller
                  user:
                    token: %s
                contexts:
                - name: direct
                  context: {cluster: relay, user: caller}
                current-context: direct
                """.formatted(
                Chain.boundPort(chain.relay, "relay-clients"), clusterId, chain.dir.resolve("relay-ca.crt"), token));
        return new Kubectl(Kubectl.DEFAULT, kubeconfig);
    }
}
