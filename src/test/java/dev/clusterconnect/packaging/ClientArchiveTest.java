package dev.clusterconnect.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client archive (packaging/client-archive.sh) runs on the Java it brings: unpacked anywhere,
 * with no Java on the PATH and no JAVA_HOME.
 */
class ClientArchiveTest {

    /** A fake unsigned JWT that expires in 2100, as the CDS training in proxy-app/pom.xml uses. */
    private static final String TOKEN = "eyJhbGciOiJub25lIn0.eyJleHAiOjQxMDI0NDQ4MDAsInN1YiI6ImNkcy10cmFpbmluZyJ9.";

    @TempDir
    Path scratch;

    @Test
    void holdsTheLauncherTheJarAndAJlinkedRuntime() {
        Path home = ClientArchive.home();
        assertThat(home.resolve("bin/clusterconnect")).isExecutable();
        assertThat(home.resolve("lib/clusterconnect.jar")).isRegularFile();
        assertThat(home.resolve("runtime/bin/java")).isExecutable();
        assertThat(home.resolve("runtime/jmods")).as("a runtime, not a JDK").doesNotExist();
        assertThat(home.resolve("runtime/bin/javac")).doesNotExist();
    }

    @Test
    void runsWithNoJavaOnThePath() {
        Run run = ClientArchive.clusterconnect(scratch, Map.of(), "--version");
        assertEquals(0, run.exitCode(), run.output());
        assertThat(run.output()).startsWith("clusterconnect");
        if (ClientArchive.javaOnSystemPath()) {
            // /usr/bin/java exists here, so check the launcher did not take it
            Run java = ClientArchive.clusterconnect(
                    scratch, Map.of("CLUSTERCONNECT_JAVA_OPTS", "-XshowSettings:properties"), "--version");
            assertThat(java.output())
                    .contains("java.home = " + ClientArchive.home().resolve("runtime"));
        }
    }

    @Test
    void runsThroughALink() throws Exception {
        Path link = Files.createDirectories(scratch.resolve("links")).resolve("clusterconnect");
        Files.createSymbolicLink(link, ClientArchive.home().resolve("bin/clusterconnect"));
        Run run = Run.of(
                scratch,
                Map.of("PATH", "/usr/bin:/bin", "HOME", scratch.toString()),
                List.of(link.toString(), "--version"));
        assertEquals(0, run.exitCode(), run.output());
    }

    @Test
    void theCredentialPluginRuns() {
        Run run = ClientArchive.clusterconnect(
                scratch, Map.of("CC_TEST_TOKEN", TOKEN), "token", "--cluster", "c1", "--token-env", "CC_TEST_TOKEN");
        assertEquals(0, run.exitCode(), run.output());
        assertThat(run.output()).contains("ExecCredential").contains(TOKEN);
    }

    @Test
    void theLauncherIsTheCheckoutsOwn() throws Exception {
        assertEquals(
                Files.readString(Built.repositoryFile("bin/clusterconnect")),
                Files.readString(ClientArchive.home().resolve("bin/clusterconnect")));
    }
}
