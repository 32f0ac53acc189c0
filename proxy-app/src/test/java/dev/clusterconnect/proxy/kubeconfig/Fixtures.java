package dev.clusterconnect.proxy.kubeconfig;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/** Shared inputs of the kubeconfig tests. */
final class Fixtures {

    static final String CA_PEM = "-----BEGIN CERTIFICATE-----\nMIIBfakeproxyca\n-----END CERTIFICATE-----\n";

    /** The block of the unrelated "staging" context, exactly as it is in existing.yaml. */
    static final String STAGING_CONTEXT =
            "- context:\n    cluster: staging\n    user: alice@staging\n  name: staging\n";
    /** The exec user of the unrelated context, exactly as it is in existing.yaml. */
    static final String STAGING_USER = """
            - name: alice@staging
              user:
                exec:
                  apiVersion: client.authentication.k8s.io/v1
                  command: kubelogin
                  args:
                  - get-token
                  - --oidc-issuer-url=https://login.example.com
                  env: null
                  interactiveMode: IfAvailable
                  provideClusterInfo: false
            """;

    private Fixtures() {}

    static String existing() {
        try (InputStream in = Fixtures.class.getResourceAsStream("/kubeconfig/existing.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static KubeconfigEntry entry(String cluster, int port) {
        return KubeconfigEntry.forCluster(
                cluster, URI.create("https://127.0.0.1:" + port), CA_PEM, new BearerTokenCredential("tok-" + cluster));
    }
}
