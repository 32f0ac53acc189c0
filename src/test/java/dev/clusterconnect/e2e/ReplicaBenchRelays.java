package dev.clusterconnect.e2e;

import static org.awaitility.Awaitility.await;

import dev.clusterconnect.routes.tls.CertificateAuthority;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The relay replicas of the replica benchmarks: separate JVMs from relay-app's runnable jar on one
 * PostgreSQL database, linked as peers (mutual TLS, one peer certificate each), each on its own
 * ports, with the heap and timers under test. {@link RelayReplicas} is the test scene (in-process
 * agents and proxy, short fixed timers); the benchmarks need the agents, proxies and timers of
 * their own, so this class only starts relays and reads what they say.
 */
final class ReplicaBenchRelays implements AutoCloseable {

    // "2026-12-02T17:53:49,043 WARN  [thread] Logger - message"
    private static final Pattern PROBLEM =
            Pattern.compile("^\\S+ (WARN|ERROR) +\\[[^]]*] (\\S+) - (.*)$", Pattern.MULTILINE);

    /**
     * How the replicas run.
     *
     * @param properties more relay keys, written to the properties file they all read
     */
    record Options(
            int replicas,
            String heap,
            Duration heartbeatInterval,
            Duration heartbeatTimeout,
            Duration unreadyDelay,
            Duration drainTimeout,
            Map<String, String> properties) {}

    final Path dir;
    final PostgresDatabase database;
    final Issuer issuer;
    private final Options options;
    private final int[] ports;
    private final int[] peerPorts;
    private final int[] healthPorts;
    private final Process[] processes;
    private final HttpClient health =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ReplicaBenchRelays(Path dir, PostgresDatabase database, Issuer issuer, Options options) throws IOException {
        this.dir = dir;
        this.database = database;
        this.issuer = issuer;
        this.options = options;
        int n = options.replicas();
        ports = new int[n];
        peerPorts = new int[n];
        healthPorts = new int[n];
        for (int i = 0; i < n; i++) {
            ports[i] = Chain.freePort();
            peerPorts[i] = Chain.freePort();
            healthPorts[i] = Chain.freePort();
        }
        processes = new Process[n];
    }

    /**
     * Writes certificates and the shared properties file into {@code dir} and starts every replica;
     * returns once each answers its readiness probe. The schema must exist already (opening the
     * store migrates it), or the replicas race to migrate it.
     */
    static ReplicaBenchRelays start(Path dir, PostgresDatabase database, Issuer issuer, Options options)
            throws Exception {
        ReplicaBenchRelays relays = new ReplicaBenchRelays(dir, database, issuer, options);
        try {
            relays.writeFiles();
            for (int i = 0; i < options.replicas(); i++) {
                relays.launch(i);
            }
            for (int i = 0; i < options.replicas(); i++) {
                relays.awaitReady(i);
            }
        } catch (Exception | Error e) {
            relays.close();
            throw e;
        }
        // A benchmark interrupted with ^C must not leave relays holding thousands of sockets behind.
        Runtime.getRuntime().addShutdownHook(new Thread(relays::destroyAll));
        return relays;
    }

    private void writeFiles() throws IOException {
        CertificateAuthority ca = CertificateAuthority.create("bench relay CA", Duration.ofDays(1));
        ca.issueServer("relay", List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1))
                .write(dir.resolve("relay.crt"), dir.resolve("relay.key"));
        Files.writeString(caFile(), ca.certificatePem());
        CertificateAuthority peerCa = CertificateAuthority.create("bench peer CA", Duration.ofDays(1));
        Files.writeString(dir.resolve("peer-ca.crt"), peerCa.certificatePem());
        for (int i = 0; i < processes.length; i++) {
            peerCa.issuePeer(instanceId(i), List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1))
                    .write(dir.resolve("peer-" + i + ".crt"), dir.resolve("peer-" + i + ".key"));
        }
        // Issuer blocks are key sets, which only a properties file can introduce (not the environment).
        Map<String, String> properties = new HashMap<>(issuer.relayProperties());
        properties.putAll(options.properties());
        StringBuilder text = new StringBuilder();
        properties.forEach((key, value) ->
                text.append(key).append('=').append(value.replace("\\", "\\\\")).append('\n'));
        Files.writeString(dir.resolve("relay.properties"), text);
    }

    private void launch(int i) throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("CLUSTERCONNECT_CONFIG", dir.resolve("relay.properties").toString());
        env.put("RELAY_LISTEN_HOST", "127.0.0.1");
        env.put("RELAY_LISTEN_PORT", String.valueOf(ports[i]));
        env.put("RELAY_TLS_CERT_FILE", dir.resolve("relay.crt").toString());
        env.put("RELAY_TLS_KEY_FILE", dir.resolve("relay.key").toString());
        env.put("RELAY_TLS_CA_FILE", caFile().toString());
        env.put("RELAY_PUBLIC_URL", "https://127.0.0.1:" + ports[0]);
        env.put("RELAY_DB_URL", database.url());
        env.put("RELAY_DB_USERNAME", PostgresDatabase.USER);
        env.put("RELAY_AUDIT_FILE", dir.resolve(instanceId(i) + "-audit.log").toString());
        env.put("RELAY_HEALTH_HOST", "127.0.0.1");
        env.put("RELAY_HEALTH_PORT", String.valueOf(healthPorts[i]));
        env.put(
                "RELAY_TUNNEL_HEARTBEAT_INTERVAL_MS",
                String.valueOf(options.heartbeatInterval().toMillis()));
        env.put(
                "RELAY_TUNNEL_HEARTBEAT_TIMEOUT_MS",
                String.valueOf(options.heartbeatTimeout().toMillis()));
        env.put("RELAY_SHUTDOWN_UNREADY_DELAY", options.unreadyDelay().toMillis() + "ms");
        env.put("RELAY_SHUTDOWN_DRAIN_TIMEOUT", options.drainTimeout().toMillis() + "ms");
        env.put("RELAY_INSTANCE_ID", instanceId(i));
        env.put("RELAY_PEER_ENABLED", "true");
        env.put("RELAY_PEER_LISTEN_HOST", "127.0.0.1");
        env.put("RELAY_PEER_LISTEN_PORT", String.valueOf(peerPorts[i]));
        env.put("RELAY_PEER_ADVERTISE_HOST", "127.0.0.1");
        env.put("RELAY_PEER_TLS_CERT_FILE", dir.resolve("peer-" + i + ".crt").toString());
        env.put("RELAY_PEER_TLS_KEY_FILE", dir.resolve("peer-" + i + ".key").toString());
        env.put("RELAY_PEER_TLS_CA_FILE", dir.resolve("peer-ca.crt").toString());
        processes[i] = launchJar("relay-app", options.heap(), env, log(i));
    }

    /** {@code java -Xmx<heap> -jar <module>'s runnable jar}, its output to {@code log}. */
    static Process launchJar(String module, String heap, Map<String, String> env, Path log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap,
                "-XX:+ExitOnOutOfMemoryError",
                "-jar",
                copyOf(module).toString());
        builder.environment().put("AGENT_HEALTH_PORT", "0");
        builder.environment().putAll(env);
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        return builder.start();
    }

    private static final Map<String, Path> COPIES = new HashMap<>();

    /**
     * A private copy of the module's runnable jar, made once per run: a build in the same tree
     * (another engineer's {@code mvn install}) rewrites the jar in place, and a JVM that loads a
     * class from it half-way through a benchmark fails with NoClassDefFoundError. A copy taken
     * while the jar was being written does not open as a zip: wait and copy again.
     */
    private static synchronized Path copyOf(String module) throws IOException {
        Path copy = COPIES.get(module);
        if (copy != null) {
            return copy;
        }
        Path target = Files.createTempDirectory("cc-bench-jars-").resolve(module + ".jar");
        // deleted in the reverse order: the file, then its directory
        target.getParent().toFile().deleteOnExit();
        target.toFile().deleteOnExit();
        await().atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofSeconds(2))
                .ignoreExceptions()
                .until(() -> {
                    Files.copy(
                            SeparateProcesses.jar(module), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(target.toFile())) {
                        return zip.getEntry("META-INF/MANIFEST.MF") != null;
                    }
                });
        COPIES.put(module, target);
        return target;
    }

    /** Until replica {@code i} answers 200 on /healthz/ready; fails at once, with its log, if it exited. */
    void awaitReady(int i) {
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    if (!processes[i].isAlive()) {
                        throw new IllegalStateException(instanceId(i) + " exited with " + processes[i].exitValue()
                                + ":\n" + Files.readString(log(i)));
                    }
                    return readiness(i) == 200;
                });
    }

    /** The status of replica {@code i}'s readiness probe; -1 when nothing answers. */
    int readiness(int i) throws InterruptedException {
        try {
            return health.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + healthPorts[i] + "/healthz/ready"))
                                    .timeout(Duration.ofSeconds(2))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException unreachable) {
            return -1;
        }
    }

    int count() {
        return processes.length;
    }

    Process process(int i) {
        return processes[i];
    }

    int port(int i) {
        return ports[i];
    }

    int healthPort(int i) {
        return healthPorts[i];
    }

    String agentUrl(int i) {
        return "wss://127.0.0.1:" + ports[i] + "/agent/v1/connect";
    }

    String httpsUrl(int i) {
        return "https://127.0.0.1:" + ports[i];
    }

    Path caFile() {
        return dir.resolve("relay-ca.crt");
    }

    Path log(int i) {
        return dir.resolve(instanceId(i) + ".log");
    }

    /** relay-a, relay-b, ...: the instance ids in the store. */
    static String instanceId(int i) {
        return "relay-" + (char) ('a' + i);
    }

    /**
     * Replica {@code i}'s WARN and ERROR lines, grouped by logger and message with ids and numbers
     * blanked: "count x logger - message" per kind, most frequent first. Empty when the log is clean.
     */
    List<String> problems(int i) throws IOException {
        Map<String, Integer> kinds = new LinkedHashMap<>();
        Map<String, String> examples = new HashMap<>();
        Matcher line = PROBLEM.matcher(Files.readString(log(i)));
        while (line.find()) {
            String kind = line.group(1) + " " + line.group(2) + " - "
                    + line.group(3)
                            .replaceAll("\\(MessageId: [^)]*\\)", "(...)")
                            .replaceAll("\\S*\\d\\S*", "#")
                            .replaceAll("\\s+", " ");
            kind = kind.length() > 200 ? kind.substring(0, 200) : kind;
            kinds.merge(kind, 1, Integer::sum);
            examples.putIfAbsent(kind, line.group(0));
        }
        List<String> lines = new ArrayList<>();
        kinds.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .forEach(e ->
                        lines.add(e.getValue() + " x " + e.getKey() + "   (first: " + examples.get(e.getKey()) + ")"));
        return lines;
    }

    /** How many WARN and ERROR lines replica {@code i} logged. */
    int problemCount(int i) throws IOException {
        int count = 0;
        Matcher line = PROBLEM.matcher(Files.readString(log(i)));
        while (line.find()) {
            count++;
        }
        return count;
    }

    private void destroyAll() {
        for (Process process : processes) {
            if (process != null) {
                process.destroyForcibly();
            }
        }
    }

    /** SIGTERM to every replica at once (each drains in parallel), then SIGKILL to any still running after 60 s. */
    @Override
    public void close() throws InterruptedException {
        for (Process process : processes) {
            if (process != null) {
                process.destroy();
            }
        }
        for (Process process : processes) {
            if (process != null && !process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
