package dev.clusterconnect.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.clusterconnect.agent.AgentApplication;
import dev.clusterconnect.relay.RelayApplication;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The relay's and agent's images as Jib built them (the root pom.xml): what they run, as whom, on
 * which ports, and that what they run is in them. The charts' side is ChartImageTest.
 */
class ImageTest {

    private static final String CLASSPATH_FILE = "/app/jib-classpath-file";

    private static String mainClass(String app) {
        return app.equals("relay") ? RelayApplication.class.getName() : AgentApplication.class.getName();
    }

    @ParameterizedTest
    @CsvSource({"relay", "agent"})
    void entrypointRunsTheAppOnTheBundledJava(String app) {
        ImageTar image = ImageTar.of(app);
        List<String> entrypoint = image.entrypoint();
        assertThat(entrypoint)
                .as("the entrypoint")
                .hasSizeGreaterThan(3)
                .contains("-cp", "@" + CLASSPATH_FILE)
                .endsWith(mainClass(app));
        assertThat(image.cmd()).as("no command after the entrypoint").isEmpty();
        assertExecutableByAnyone(image.file(entrypoint.get(0)));
        assertEquals("/opt/java", image.env().get("JAVA_HOME"));
        assertThat(image.repoTags()).containsExactly("clusterconnect/" + app + ":" + Built.version());
    }

    @ParameterizedTest
    @CsvSource({"relay", "agent"})
    void theClasspathIsInTheImageWithTheAppsJar(String app) throws IOException {
        ImageTar image = ImageTar.of(app);
        String classpath = Files.readString(image.file(CLASSPATH_FILE)).strip();
        List<String> entries = new ArrayList<>();
        for (String entry : classpath.split(":")) {
            if (entry.endsWith("/*")) {
                // a folder's jars, as java expands them
                Path dir = image.file(entry.substring(0, entry.length() - 2));
                assertTrue(Files.isDirectory(dir), entry + " is on the classpath but not in the image");
                try (Stream<Path> jars = Files.list(dir)) {
                    jars.forEach(jar -> entries.add(
                            "/" + image.root().relativize(jar).toString().replace('\\', '/')));
                }
            } else {
                assertTrue(Files.isRegularFile(image.file(entry)), entry + " is on the classpath but not in the image");
                entries.add(entry);
            }
        }
        assertThat(entries)
                .as("the app's own jar")
                .contains("/app/classpath/" + app + "-app-" + Built.version() + ".jar");
        assertThat(entries).as("its dependencies").anyMatch(e -> e.startsWith("/app/libs/routes-"));
    }

    @ParameterizedTest
    @CsvSource({"relay", "agent"})
    void runsAsAnUnprivilegedNumericUser(String app) throws IOException {
        ImageTar image = ImageTar.of(app);
        // Kubernetes' runAsNonRoot can only verify a numeric user
        assertThat(image.user()).matches("[0-9]+:[0-9]+");
        String uid = image.user().split(":")[0];
        assertThat(Integer.parseInt(uid)).as("uid").isPositive();
        assertThat(Files.readAllLines(image.file("/etc/passwd")))
                .as("/etc/passwd names the user")
                .anyMatch(line -> line.split(":")[2].equals(uid));
        Set<PosixFilePermission> tmp = Files.getPosixFilePermissions(image.file("/tmp"));
        assertThat(tmp).as("/tmp is writable by the user").contains(PosixFilePermission.OTHERS_WRITE);
    }

    @ParameterizedTest
    @CsvSource({"relay, 8081/tcp 8443/tcp", "agent, 8081/tcp"})
    void exposesItsPorts(String app, String ports) {
        assertThat(ImageTar.of(app).exposedPorts()).containsExactlyInAnyOrder(ports.split(" "));
    }

    @ParameterizedTest
    @CsvSource({"relay", "agent"})
    void hasTheOpenContainersLabels(String app) {
        Map<String, String> labels = ImageTar.of(app).labels();
        assertEquals("clusterconnect-" + app, labels.get("org.opencontainers.image.title"));
        assertEquals(Built.version(), labels.get("org.opencontainers.image.version"));
        assertThat(labels.get("org.opencontainers.image.description")).contains(app);
    }

    @ParameterizedTest
    @CsvSource({"relay", "agent"})
    void theRuntimeHasItsCertificatesAndItsCLibraries(String app) throws IOException {
        ImageTar image = ImageTar.of(app);
        assertThat(Files.size(image.file("/opt/java/lib/security/cacerts")))
                .as("the CAs the relay trusts for OIDC issuers")
                .isGreaterThan(10_000);
        assertThat(image.file("/opt/java/jmods")).doesNotExist();
        String interpreter = Run.ok(
                        Path.of("."),
                        List.of(
                                "readelf",
                                "-l",
                                image.file("/opt/java/bin/java").toString()))
                .lines()
                .filter(line -> line.contains("program interpreter"))
                .map(line -> line.replaceAll(".*interpreter: (\\S+)].*", "$1"))
                .findFirst()
                .orElseThrow();
        assertExecutableByAnyone(image.file(interpreter));
        assertThat(image.file("/lib/x86_64-linux-gnu/libc.so.6").toFile().exists()
                        || image.file("/lib/aarch64-linux-gnu/libc.so.6")
                                .toFile()
                                .exists())
                .as("glibc")
                .isTrue();
    }

    /**
     * The image's root filesystem as a container would see it: the entrypoint, run as the image's
     * user in a chroot with a /proc of its own, must get as far as reading its configuration. Needs
     * root and unshare (the machine the build runs on has both; elsewhere this is skipped).
     */
    @ParameterizedTest
    @CsvSource({"relay, relay configuration is invalid", "agent, agent configuration is invalid"})
    void theEntrypointStartsTheAppInsideTheImage(String app, String expected) throws IOException {
        assumeTrue(
                "root".equals(System.getProperty("user.name"))
                        && Files.isExecutable(Path.of("/usr/bin/unshare"))
                        && Files.isExecutable(Path.of("/usr/sbin/chroot")),
                "needs root, unshare and chroot");
        ImageTar image = ImageTar.of(app);
        Files.createDirectories(image.file("/proc"));
        String command = "mount -t proc proc proc && cd / && exec chroot --userspec=" + image.user() + " "
                + image.root() + " " + String.join(" ", image.entrypoint());
        Run run = Run.of(
                image.root(),
                Map.of("PATH", "/usr/bin:/bin:/usr/sbin:/sbin"),
                List.of("timeout", "60", "unshare", "--mount", "--pid", "--fork", "sh", "-c", command));
        assertThat(run.output())
                .as("the app's own start-up error, not the JVM's")
                .contains(expected);
        assertThat(run.output()).doesNotContain("error while loading shared libraries");
    }

    private static void assertExecutableByAnyone(Path file) {
        try {
            assertThat(Files.getPosixFilePermissions(file))
                    .as(file + " executable by the image's user")
                    .contains(PosixFilePermission.OTHERS_EXECUTE);
        } catch (IOException e) {
            throw new AssertionError(file + " is not in the image", e);
        }
    }
}
