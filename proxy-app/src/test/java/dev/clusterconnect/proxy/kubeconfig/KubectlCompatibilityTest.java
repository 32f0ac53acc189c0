package dev.clusterconnect.proxy.kubeconfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files this package writes, read back by the real kubectl. */
class KubectlCompatibilityTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void needsKubectl() {
        Kubectl.assumeInstalled();
    }

    @Test
    void mergedKubeconfigIsValidAndTheOtherContextsAreUnchanged() throws Exception {
        Path file = dir.resolve("config");
        Files.writeString(file, Fixtures.existing());
        String stagingBefore =
                Kubectl.run(file, "config", "view", "--raw", "-o", "jsonpath={.contexts[?(@.name=='staging')]}");

        new KubeconfigFile(file).merge(Fixtures.entry("prod", 40001), true);

        String merged = Files.readString(file);
        assertTrue(merged.contains(Fixtures.STAGING_CONTEXT), "staging context changed:\n" + merged);
        assertTrue(merged.contains(Fixtures.STAGING_USER), "staging user changed:\n" + merged);
        assertEquals(
                stagingBefore,
                Kubectl.run(file, "config", "view", "--raw", "-o", "jsonpath={.contexts[?(@.name=='staging')]}"));
        assertEquals(
                "clusterconnect-prod\nkind-dev\nstaging\n",
                sortedLines(Kubectl.run(file, "config", "get-contexts", "-o", "name")));
        assertEquals("clusterconnect-prod\n", Kubectl.run(file, "config", "current-context"));
        assertEquals(
                "https://127.0.0.1:40001",
                Kubectl.run(
                        file,
                        "config",
                        "view",
                        "--raw",
                        "-o",
                        "jsonpath={.clusters[?(@.name=='clusterconnect-prod')].cluster.server}"));
        assertEquals(
                "tok-prod",
                Kubectl.run(
                        file,
                        "config",
                        "view",
                        "--raw",
                        "-o",
                        "jsonpath={.users[?(@.name=='clusterconnect-prod')].user.token}"));
    }

    @Test
    void removingTheContextAgainGivesBackTheOriginalFile() throws Exception {
        Path file = dir.resolve("config");
        Files.writeString(file, Fixtures.existing());
        KubeconfigFile kubeconfig = new KubeconfigFile(file);
        kubeconfig.merge(Fixtures.entry("prod", 40001), false);

        assertTrue(kubeconfig.remove("clusterconnect-prod"));

        assertEquals(Fixtures.existing(), Files.readString(file));
        assertEquals("kind-dev\n", Kubectl.run(file, "config", "current-context"));
    }

    @Test
    void kubectlKeepsWorkingOnAFileThatStartedEmpty() throws Exception {
        Path file = dir.resolve("new").resolve("config");

        new KubeconfigFile(file).merge(Fixtures.entry("prod", 40001), true);
        Kubectl.run(file, "config", "use-context", "clusterconnect-prod");

        String contexts = Kubectl.run(file, "config", "get-contexts");
        assertTrue(
                contexts.matches("(?s).*\\*\\s+clusterconnect-prod\\s+clusterconnect-prod\\s+clusterconnect-prod.*"),
                contexts);
    }

    @Test
    void standaloneKubeconfigHoldsOnlyTheOneCurrentContext() throws Exception {
        Path file = dir.resolve("ci.kubeconfig");

        StandaloneKubeconfig.write(file, Fixtures.entry("ci", 40003));

        assertEquals("clusterconnect-ci\n", Kubectl.run(file, "config", "get-contexts", "-o", "name"));
        assertEquals("clusterconnect-ci\n", Kubectl.run(file, "config", "current-context"));
        assertEquals(
                Fixtures.CA_PEM,
                new String(java.util.Base64.getDecoder()
                        .decode(Kubectl.run(
                                file,
                                "config",
                                "view",
                                "--raw",
                                "-o",
                                "jsonpath={.clusters[0].cluster.certificate-authority-data}"))));
    }

    private static String sortedLines(String text) {
        return text.lines().sorted().map(line -> line + "\n").reduce("", String::concat);
    }
}
