package dev.clusterconnect.e2e;

import static org.awaitility.Awaitility.await;

import dev.clusterconnect.routes.tls.CertificateAuthority;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Keycloak's own server distribution, run as a child process in production mode ({@code start
 * --optimized}) with HTTPS and {@code --hostname} on free 127.0.0.1 ports, the way docs/identity.md
 * tells a user to run it. The distribution zip comes from Maven Central through the local
 * repository (fetched with {@code mvn dependency:get} when missing) and is unpacked and built once
 * under {@code target/}; each start has a fresh database.
 */
final class Keycloak implements AutoCloseable {

    static final String VERSION = System.getProperty("keycloak.version", "26.7.3");
    static final String ADMIN = "admin";
    static final String ADMIN_PASSWORD = "admin-password-for-the-e2e-test";
    /** Keycloak 26 runs on Java 21 or later. */
    private static final int JAVA_FEATURE = 21;

    private static final String ARTIFACT = "org.keycloak:keycloak-quarkus-dist:" + VERSION + ":zip";

    final Path home;
    final Path dir;
    final Path javaHome;
    /** The URL given to {@code --hostname}: every {@code iss} starts with it, whatever host a request named. */
    final String url;

    final int port;
    /** PEM of the CA that issued Keycloak's certificate. */
    final Path caFile;

    final HttpClient http;
    /** Trusts Keycloak's certificate, for the test's own HTTP clients. */
    final SSLContext tls;

    private final java.security.cert.X509Certificate caCertificate;
    private final Process process;

    private Keycloak(
            Path home, Path dir, Path javaHome, int port, CertificateAuthority ca, Path caFile, Process process)
            throws Exception {
        this.home = home;
        this.dir = dir;
        this.javaHome = javaHome;
        this.port = port;
        this.url = "https://localhost:" + port;
        this.caFile = caFile;
        this.caCertificate = ca.certificate();
        this.tls = trusting(ca);
        this.http = HttpClient.newBuilder()
                .sslContext(tls)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        this.process = process;
    }

    /** Unpacks and builds Keycloak if needed, starts it and waits until its master realm answers. */
    static Keycloak start(Path dir) throws Exception {
        Path javaHome = javaHome();
        Path home = installed(javaHome);
        deleteTree(home.resolve("data"));
        CertificateAuthority ca = CertificateAuthority.create("e2e Keycloak CA", Duration.ofDays(1));
        ca.issueServer("localhost", List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1))
                .write(dir.resolve("keycloak.crt"), dir.resolve("keycloak.key"));
        Path caFile = dir.resolve("keycloak-ca.pem");
        Files.writeString(caFile, ca.certificatePem());
        int port = Chain.freePort();
        ProcessBuilder builder = new ProcessBuilder(
                        home.resolve("bin/kc.sh").toString(),
                        "start",
                        "--optimized",
                        "--cache=local",
                        "--hostname=https://localhost:" + port,
                        "--http-enabled=false",
                        "--http-host=127.0.0.1",
                        "--https-port=" + port,
                        "--https-certificate-file=" + dir.resolve("keycloak.crt"),
                        "--https-certificate-key-file=" + dir.resolve("keycloak.key"))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("keycloak.log").toFile());
        builder.environment().put("JAVA_HOME", javaHome.toString());
        builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN);
        builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
        Keycloak keycloak = new Keycloak(home, dir, javaHome, port, ca, caFile, builder.start());
        try {
            keycloak.awaitRealm("master", Duration.ofSeconds(240));
        } catch (RuntimeException e) {
            keycloak.close();
            throw new IllegalStateException("Keycloak did not start:\n" + keycloak.log(), e);
        }
        return keycloak;
    }

    /** The issuer of {@code realm}, exactly as its tokens' {@code iss}. */
    String issuer(String realm) {
        return url + "/realms/" + realm;
    }

    /**
     * Runs a shell script the way a user runs the docs' commands: {@code kcadm.sh} on the PATH, a
     * {@code kcadm} configuration of its own in this test's home, trusting Keycloak's CA.
     */
    String shell(String script, Map<String, String> variables) throws Exception {
        Path userHome = dir.resolve("kcadm-home");
        if (!Files.isDirectory(userHome)) {
            Files.createDirectories(userHome);
            Path truststore = dir.resolve("keycloak-truststore.p12");
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("keycloak-ca", caCertificate);
            try (OutputStream out = Files.newOutputStream(truststore)) {
                store.store(out, "truststore".toCharArray());
            }
            run(userHome, "kcadm.sh config truststore --trustpass truststore " + truststore, Map.of());
        }
        return run(userHome, script, variables);
    }

    private String run(Path userHome, String script, Map<String, String> variables)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script).redirectErrorStream(true);
        builder.environment().putAll(variables);
        builder.environment().put("HOME", userHome.toString());
        builder.environment().put("JAVA_HOME", javaHome.toString());
        builder.environment().put("PATH", home.resolve("bin") + File.pathSeparator + System.getenv("PATH"));
        Process shell = builder.start();
        String output = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!shell.waitFor(300, TimeUnit.SECONDS) || shell.exitValue() != 0) {
            shell.destroyForcibly();
            throw new IllegalStateException("the script failed:\n" + script + "\n--- output:\n" + output);
        }
        return output;
    }

    private void awaitRealm(String realm, Duration timeout) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(issuer(realm) + "/.well-known/openid-configuration"))
                .timeout(Duration.ofSeconds(5))
                .build();
        await().atMost(timeout)
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("Keycloak exited with " + process.exitValue());
                    }
                    return http.send(request, HttpResponse.BodyHandlers.discarding())
                                    .statusCode()
                            == 200;
                });
    }

    String log() {
        try {
            return Files.readString(dir.resolve("keycloak.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        // kc.sh runs the server as its child: stop the server, then the script
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static SSLContext trusting(CertificateAuthority ca) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("keycloak-ca", ca.certificate());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        return tls;
    }

    /**
     * The distribution unpacked under the e2e module's {@code target/} and built for production
     * with the file database (a real deployment builds with {@code --db=postgres}) and a local
     * cache (so it never looks for cluster peers on the network); both steps
     * leave a marker, so later runs skip them.
     */
    private static Path installed(Path javaHome) throws IOException, InterruptedException {
        Path root = Path.of("target", "keycloak").toAbsolutePath();
        Path home = root.resolve("keycloak-" + VERSION);
        if (!Files.exists(root.resolve(VERSION + ".unpacked"))) {
            deleteTree(home);
            unzip(distribution(), root);
            try (Stream<Path> scripts = Files.list(home.resolve("bin"))) {
                scripts.filter(p -> p.toString().endsWith(".sh"))
                        .forEach(p -> p.toFile().setExecutable(true));
            }
            Files.writeString(root.resolve(VERSION + ".unpacked"), "");
        }
        if (!Files.exists(root.resolve(VERSION + ".built-local"))) {
            ProcessBuilder build = new ProcessBuilder(
                            home.resolve("bin/kc.sh").toString(), "build", "--db=dev-file", "--cache=local")
                    .redirectErrorStream(true);
            build.environment().put("JAVA_HOME", javaHome.toString());
            Process process = build.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(600, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("kc.sh build failed:\n" + output);
            }
            Files.writeString(root.resolve(VERSION + ".built-local"), "");
        }
        return home;
    }

    /** The zip in the local Maven repository, fetched from Maven Central first if it is not there. */
    private static Path distribution() throws IOException, InterruptedException {
        String repository = System.getProperty(
                "maven.repo.local",
                Path.of(System.getProperty("user.home"), ".m2", "repository").toString());
        Path zip = Path.of(
                repository,
                "org",
                "keycloak",
                "keycloak-quarkus-dist",
                VERSION,
                "keycloak-quarkus-dist-" + VERSION + ".zip");
        if (!Files.exists(zip)) {
            Process get = new ProcessBuilder(
                            "mvn",
                            "-B",
                            "-q",
                            "dependency:get",
                            "-Dartifact=" + ARTIFACT,
                            "-Dtransitive=false",
                            "-Dmaven.repo.local=" + repository)
                    .redirectErrorStream(true)
                    .start();
            String output = new String(get.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!get.waitFor(600, TimeUnit.SECONDS) || !Files.exists(zip)) {
                throw new IllegalStateException("cannot fetch " + ARTIFACT + " with mvn dependency:get:\n" + output);
            }
        }
        return zip;
    }

    private static void unzip(Path zip, Path target) throws IOException {
        Path root = target.normalize();
        try (ZipFile file = new ZipFile(zip.toFile())) {
            for (ZipEntry entry : java.util.Collections.list(file.entries())) {
                Path out = root.resolve(entry.getName()).normalize();
                if (!out.startsWith(root)) {
                    throw new IOException("zip entry outside the target: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                    continue;
                }
                Files.createDirectories(out.getParent());
                try (InputStream in = file.getInputStream(entry)) {
                    Files.copy(in, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /**
     * A Java runtime for Keycloak: {@code KEYCLOAK_JAVA_HOME}, the one running the tests if it is
     * recent enough, else the newest one installed beside it (as Debian keeps them side by side).
     */
    static Path javaHome() {
        String configured = System.getenv("KEYCLOAK_JAVA_HOME");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path current = Path.of(System.getProperty("java.home"));
        if (Runtime.version().feature() >= JAVA_FEATURE) {
            return current;
        }
        List<Path> candidates = new ArrayList<>();
        try (Stream<Path> siblings = Files.list(current.getParent())) {
            siblings.filter(p -> feature(p).orElse(0) >= JAVA_FEATURE).forEach(candidates::add);
        } catch (IOException e) {
            // no readable directory beside it: nothing to choose from
        }
        return candidates.stream()
                .max(Comparator.comparing(p -> feature(p).orElse(0)))
                .orElseThrow(() -> new IllegalStateException("Keycloak " + VERSION + " needs Java " + JAVA_FEATURE
                        + " or later: none beside " + current + "; set KEYCLOAK_JAVA_HOME"));
    }

    /** The feature release of the JDK or JRE at {@code home}, from its {@code release} file. */
    private static Optional<Integer> feature(Path home) {
        Path release = home.resolve("release");
        if (!Files.isExecutable(home.resolve("bin/java")) || !Files.isRegularFile(release)) {
            return Optional.empty();
        }
        try (Stream<String> lines = Files.lines(release)) {
            return lines.filter(l -> l.startsWith("JAVA_VERSION="))
                    .findFirst()
                    .map(l -> l.substring("JAVA_VERSION=".length())
                            .replace("\"", "")
                            .split("[.+-]")[0])
                    .map(Integer::parseInt);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> all = Files.walk(path)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
