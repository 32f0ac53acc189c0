package dev.clusterconnect.packaging;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What {@code mvn package} left in the apps' target folders (the root pom.xml): the relay's and
 * agent's images and the client archive. The tests run in the e2e module, after the apps are
 * packaged; with {@code -DskipImages} there is nothing to check.
 */
public final class Built {

    /** Relative to the e2e module's basedir, where surefire runs the tests. */
    private static final Path ROOT = Path.of("..");

    private Built() {}

    public static String version() {
        return System.getProperty("project.version", "0.1.0-SNAPSHOT");
    }

    /** {@code relay-app/target/jib-image.tar} for {@code relay}; fails the test if it is missing. */
    public static Path imageTar(String app) {
        return built(ROOT.resolve(app + "-app").resolve("target").resolve("jib-image.tar"));
    }

    /** The client archive for this machine's OS and CPU. */
    static Path clientArchive() {
        return built(ROOT.resolve("proxy-app")
                .resolve("target")
                .resolve("clusterconnect-" + version() + "-" + platform() + ".tar.gz"));
    }

    /** As packaging/client-archive.sh names it, from uname: linux-x86_64, linux-aarch64, darwin-aarch64. */
    static String platform() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("mac") ? "darwin" : "linux";
        String arch = System.getProperty("os.arch");
        arch = switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> arch;
        };
        return os + "-" + arch;
    }

    static Path repositoryFile(String name) {
        return ROOT.resolve(name);
    }

    private static Path built(Path file) {
        assumeFalse(Boolean.getBoolean("skipImages"), "built with -DskipImages");
        assertTrue(Files.isRegularFile(file), file.toAbsolutePath().normalize() + " is missing: run mvn package");
        return file;
    }
}
