package dev.clusterconnect.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the sandbox apiserver for the demo until the process is stopped.
 *
 * <pre>
 * java -cp ... dev.clusterconnect.sandbox.SandboxMain [--host 127.0.0.1] [--port 6443] [--plain]
 *     [--ca-file ca.pem] [--admin-token-file admin.token] [--log-interval-ms 2000]
 *     [--bulk-configmaps bulk=268435456] [--rbac] [--no-demo-pods] [--user-token-file agent=agent.token]
 * </pre>
 *
 * <p>With {@code --rbac} and {@code --no-demo-pods} it stands in for a new cluster with RBAC: nothing
 * but the bootstrap roles, every other permission granted by the objects its users create. The e2e
 * suite's real-cluster mode is checked against it that way.
 *
 * <p>The admin token (user {@code sandbox-admin}, group {@code system:masters}) may impersonate; it
 * is read from {@code --admin-token-file} when that file exists, else generated and written there.
 */
public final class SandboxMain {

    /** The user the admin token authenticates. */
    public static final String ADMIN_USER = "sandbox-admin";

    private SandboxMain() {}

    /** Starts the server and blocks. */
    public static void main(String[] args) throws IOException, InterruptedException {
        SandboxConfig.Builder builder = SandboxApiServer.builder()
                .port(6443)
                .demoPods(true)
                .logLineEvery(Duration.ofSeconds(2))
                .impersonator(ADMIN_USER);
        Path caFile = null;
        Path tokenFile = null;
        Path issuerDir = null;
        java.util.Map<String, Path> userTokens = new java.util.LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--host" -> builder.host(value(args, ++i));
                case "--port" -> builder.port(Integer.parseInt(value(args, ++i)));
                case "--plain" -> builder.tls(false);
                case "--ca-file" -> caFile = Path.of(value(args, ++i));
                case "--admin-token-file" -> tokenFile = Path.of(value(args, ++i));
                case "--dev-issuer-dir" -> issuerDir = Path.of(value(args, ++i));
                case "--log-interval-ms" -> builder.logLineEvery(Duration.ofMillis(Long.parseLong(value(args, ++i))));
                case "--rbac" -> builder.rbac(true);
                case "--no-demo-pods" -> builder.demoPods(false);
                case "--user-token-file" -> {
                    String[] spec = value(args, ++i).split("=", 2);
                    userTokens.put(spec[0], Path.of(spec[1]));
                }
                case "--bulk-configmaps" -> {
                    String[] spec = value(args, ++i).split("=", 2);
                    builder.bulkConfigMaps(spec[0], Long.parseLong(spec[1]));
                }
                default ->
                    throw new IllegalArgumentException(
                            "unknown option " + args[i]
                                    + "; options: --host, --port, --plain, --ca-file, --admin-token-file, --dev-issuer-dir, --log-interval-ms, "
                                    + "--bulk-configmaps <namespace>=<bytes>, --rbac, --no-demo-pods, --user-token-file <user>=<file>");
            }
        }
        builder.token(adminToken(tokenFile), ADMIN_USER, "system:masters");
        for (var user : userTokens.entrySet()) {
            builder.token(adminToken(user.getValue()), user.getKey());
        }
        SandboxApiServer server = builder.build().start();
        if (caFile != null && server.caCertificatePem() != null) {
            Files.writeString(caFile, server.caCertificatePem(), StandardCharsets.US_ASCII);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            server.close();
                            stopped.countDown();
                        },
                        "sandbox-shutdown"));
        System.out.println("sandbox apiserver listening on " + server.url());
        if (issuerDir != null) {
            startDevIssuer(issuerDir);
        }
        stopped.await();
    }

    /**
     * The demo's OIDC issuer: writes its URL, its TLS CA and a 12-hour token for user demo-user
     * (group demo) with audience clusterconnect into {@code dir}.
     */
    private static void startDevIssuer(Path dir) throws IOException {
        DevIssuer issuer = DevIssuer.start(0);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("issuer-ca.crt"), issuer.caPem(), StandardCharsets.US_ASCII);
        Files.writeString(
                dir.resolve("user.token"),
                issuer.token("demo-user", java.util.List.of("demo"), "clusterconnect", Duration.ofHours(12)),
                StandardCharsets.US_ASCII);
        Files.writeString(dir.resolve("issuer-url"), issuer.url(), StandardCharsets.US_ASCII);
        System.out.println("demo OIDC issuer on " + issuer.url());
    }

    /** The token in {@code file}, or a new random one written there. */
    private static String adminToken(Path file) throws IOException {
        if (file != null && Files.exists(file)) {
            return Files.readString(file, StandardCharsets.US_ASCII).trim();
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        if (file != null) {
            Files.writeString(file, token + "\n", StandardCharsets.US_ASCII);
        } else {
            System.out.println("no --admin-token-file given: the admin token is only in this process");
        }
        return token;
    }

    private static String value(String[] args, int index) {
        if (index >= args.length) {
            throw new IllegalArgumentException(args[index - 1] + " needs a value");
        }
        return args[index];
    }
}
