package dev.clusterconnect.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clusterconnect.routes.config.Settings;
import dev.clusterconnect.routes.tls.CertificateAuthority;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** How the agent reaches its apiserver as itself: the kubeconfig it reads, and what it refuses to start with. */
class ApiserverAccessTest {

    private static String caPem;

    @TempDir
    Path dir;

    @BeforeAll
    static void createCa() {
        caPem = CertificateAuthority.create("apiserver CA", Duration.ofHours(1)).certificatePem();
    }

    @Test
    void theCurrentContextPicksTheClusterAndUserAmongSeveral() throws Exception {
        Path kubeconfig = write("config", """
                current-context: agent
                contexts:
                - name: admin
                  context: {cluster: other, user: admin}
                - name: agent
                  context: {cluster: prod, user: clusterconnect-agent}
                clusters:
                - name: other
                  cluster: {server: "https://other.example:6443", certificate-authority-data: %s}
                - name: prod
                  cluster: {server: "https://10.0.0.1:6443", certificate-authority-data: %s}
                users:
                - name: admin
                  user: {token: admin-token}
                - name: clusterconnect-agent
                  user: {token: agent-token}
                """.formatted(caData(), caData()));

        ApiserverAccess access = ApiserverAccess.fromKubeconfig(kubeconfig);

        assertEquals(URI.create("https://10.0.0.1:6443"), access.url());
        assertEquals("10.0.0.1", access.upstream().host());
        assertEquals(6443, access.upstream().port());
        assertTrue(access.upstream().ssl() != null, "TLS to the apiserver");
        assertEquals("agent-token", access.token().get());
    }

    @Test
    void aTokenFileAndCaFileAreFoundBesideTheKubeconfigAndTheTokenIsReReadWhenRotated() throws Exception {
        write("ca.crt", caPem);
        Path tokenFile = write("token", "first-token\n");
        Path kubeconfig = write("config", """
                current-context: c
                contexts: [{name: c, context: {cluster: k, user: u}}]
                clusters: [{name: k, cluster: {server: "https://apiserver.example", certificate-authority: ca.crt}}]
                users: [{name: u, user: {tokenFile: token}}]
                """);

        ApiserverAccess access = ApiserverAccess.fromKubeconfig(kubeconfig);
        assertEquals("first-token", access.token().get());
        assertEquals(443, access.upstream().port());

        Files.writeString(tokenFile, "second-token");
        Files.setLastModifiedTime(tokenFile, FileTime.from(Instant.now().plusSeconds(60)));
        assertEquals("second-token", access.token().get(), "a projected service-account token rotates in place");
    }

    @Test
    void aClusterWithoutACertificateAuthorityIsRefusedEvenWhenTheKubeconfigSkipsVerification() throws Exception {
        Path kubeconfig = write("config", """
                current-context: c
                contexts: [{name: c, context: {cluster: k, user: u}}]
                clusters: [{name: k, cluster: {server: "https://apiserver.example", insecure-skip-tls-verify: true}}]
                users: [{name: u, user: {token: agent-token}}]
                """);

        IllegalArgumentException refused =
                assertThrows(IllegalArgumentException.class, () -> ApiserverAccess.fromKubeconfig(kubeconfig));

        assertTrue(
                refused.getMessage().contains("no certificate authority: the apiserver cannot be verified"),
                refused.getMessage());
    }

    @Test
    void aPlainHttpServerIsRefusedSinceTheAgentsTokenWouldTravelInClear() throws Exception {
        Path kubeconfig = write("config", """
                current-context: c
                contexts: [{name: c, context: {cluster: k, user: u}}]
                clusters: [{name: k, cluster: {server: "http://user:pw@apiserver.example:8080", certificate-authority-data: %s}}]
                users: [{name: u, user: {token: agent-token}}]
                """.formatted(caData()));

        IllegalArgumentException refused =
                assertThrows(IllegalArgumentException.class, () -> ApiserverAccess.fromKubeconfig(kubeconfig));

        assertEquals(
                "the cluster's server must be an https:// URL, since the agent's token goes there; got a http: URL",
                refused.getMessage());
    }

    @Test
    void aUserWithoutATokenIsRefused() throws Exception {
        Path kubeconfig = write("config", """
                current-context: c
                contexts: [{name: c, context: {cluster: k, user: u}}]
                clusters: [{name: k, cluster: {server: "https://apiserver.example", certificate-authority-data: %s}}]
                users: [{name: u, user: {client-certificate: agent.crt, client-key: agent.key}}]
                """.formatted(caData()));

        IllegalArgumentException refused =
                assertThrows(IllegalArgumentException.class, () -> ApiserverAccess.fromKubeconfig(kubeconfig));

        assertEquals("the user entry needs a token or tokenFile", refused.getMessage());
    }

    @Test
    void aContextNamingAMissingEntryIsReportedByName() throws Exception {
        Path kubeconfig = write("config", """
                current-context: c
                contexts: [{name: c, context: {cluster: k, user: nobody}}]
                clusters: [{name: k, cluster: {server: "https://apiserver.example", certificate-authority-data: %s}}]
                users: [{name: u, user: {token: agent-token}}]
                """.formatted(caData()));

        IllegalArgumentException refused =
                assertThrows(IllegalArgumentException.class, () -> ApiserverAccess.fromKubeconfig(kubeconfig));

        assertEquals("no user named 'nobody' in the kubeconfig", refused.getMessage());
    }

    @Test
    void aBadKubeconfigIsAConfigurationProblemReportedWithTheKey() throws Exception {
        Path kubeconfig = write("config", "current-context: missing\n");
        Settings settings = settings(Map.of("agent.apiserver.kubeconfig", kubeconfig.toString()));

        assertEquals(null, ApiserverAccess.from(settings));

        IllegalArgumentException invalid =
                assertThrows(IllegalArgumentException.class, () -> settings.validate("agent"));
        assertTrue(
                invalid.getMessage()
                        .contains("agent.apiserver.kubeconfig: no context named 'missing' in the kubeconfig"),
                invalid.getMessage());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "users:\n- name: u\n  user:\n    token: s3cr3t-agent-token-0123456789: x\n",
                "users:\n- name: u\n  user:\n    token: \"s3cr3t-agent-token-0123456789\n",
                "users:\n- name: u\n  user:\n    token: s3cr3t-agent-token-0123456789\n   other: [\n",
                "users:\n- name: u\n  user:\n    token: s3cr3t-agent-token-0123456789\n\tnext: 1\n"
            })
    void aKubeconfigThatIsNotYamlIsReportedByPositionWithoutQuotingItsToken(String content) throws Exception {
        Path kubeconfig = write("config", content);
        Settings settings = settings(Map.of("agent.apiserver.kubeconfig", kubeconfig.toString()));

        ApiserverAccess.from(settings);

        String problems = assertThrows(IllegalArgumentException.class, () -> settings.validate("agent"))
                .getMessage();
        assertTrue(problems.contains("agent.apiserver.kubeconfig: " + kubeconfig + " is not valid YAML"), problems);
        assertTrue(problems.contains("line "), "says where: " + problems);
        assertFalse(problems.contains("s3cr3t"), "the start-up error quotes the token: " + problems);
    }

    @Test
    void outsideAClusterWithoutAKubeconfigTheAgentIsToldToSetOne() {
        // An empty service-account directory: no token, whatever KUBERNETES_SERVICE_HOST says.
        Settings settings = settings(Map.of("agent.apiserver.service-account-dir", dir.toString()));

        assertEquals(null, ApiserverAccess.from(settings));

        IllegalArgumentException invalid =
                assertThrows(IllegalArgumentException.class, () -> settings.validate("agent"));
        assertTrue(
                invalid.getMessage().contains("not running in a cluster")
                        && invalid.getMessage().contains("agent.apiserver.kubeconfig"),
                invalid.getMessage());
    }

    static Settings settings(Map<String, String> properties) {
        return new Settings(key -> Optional.ofNullable(properties.get(key)));
    }

    private Path write(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content);
    }

    private static String caData() {
        return Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.US_ASCII));
    }
}
