package dev.clusterconnect.e2e;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A database with a random name on the PostgreSQL server at 127.0.0.1:5432 (user postgres, trust
 * authentication, as {@code .ci/run} sets it up), dropped on close: tests that share the server
 * never see each other's rows.
 */
final class PostgresDatabase implements AutoCloseable {

    static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";
    static final String USER = "postgres";

    final String name;

    private PostgresDatabase(String name) {
        this.name = name;
    }

    /** Creates {@code <prefix>_<12 random hex digits>}; the prefix says which test left it, if one ever does. */
    static PostgresDatabase create(String prefix) throws SQLException {
        String name = prefix + "_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
        administer(statement -> statement.execute("CREATE DATABASE " + name));
        return new PostgresDatabase(name);
    }

    /** The JDBC URL, for {@code relay.db.url}. */
    String url() {
        return SERVER + name;
    }

    /**
     * Drops the database. A relay killed with SIGKILL leaves its sessions until the server notices,
     * and DROP DATABASE refuses while any is open, so they are terminated first (more than once:
     * a pool may reconnect in between).
     */
    @Override
    public void close() throws SQLException {
        SQLException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                administer(statement -> {
                    try (PreparedStatement terminate = statement
                            .getConnection()
                            .prepareStatement(
                                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()")) {
                        terminate.setString(1, name);
                        terminate.execute();
                    }
                    statement.execute("DROP DATABASE IF EXISTS " + name);
                });
                return;
            } catch (SQLException stillInUse) {
                last = stillInUse;
            }
        }
        throw last;
    }

    /**
     * Restarts the whole PostgreSQL server (every database on it: a fault test's outage) and waits
     * until it accepts connections again. Not the system service: containers have no systemd.
     */
    static void restartServer(Duration timeout) throws IOException, InterruptedException {
        Process restart = new ProcessBuilder(
                        "pg_ctlcluster", "--skip-systemctl-redirect", serverVersion(), "main", "restart")
                .redirectErrorStream(true)
                .start();
        String output = new String(restart.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!restart.waitFor(timeout.toSeconds(), TimeUnit.SECONDS) || restart.exitValue() != 0) {
            restart.destroyForcibly();
            throw new IllegalStateException("pg_ctlcluster restart failed: " + output);
        }
        await().atMost(timeout)
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .until(() -> {
                    try (Connection ignored = DriverManager.getConnection(SERVER + "postgres", USER, null)) {
                        return true;
                    }
                });
    }

    /**
     * The version of the cluster named {@code main}: the directory under /etc/postgresql that
     * holds it. With several versions installed, the one configured for port 5432.
     */
    static String serverVersion() throws IOException {
        List<Path> clusters;
        try (Stream<Path> versions = Files.list(Path.of("/etc/postgresql"))) {
            clusters = versions.filter(v -> Files.isDirectory(v.resolve("main")))
                    .sorted()
                    .toList();
        }
        if (clusters.size() == 1) {
            return clusters.get(0).getFileName().toString();
        }
        for (Path version : clusters) {
            String conf = Files.readString(version.resolve("main/postgresql.conf"));
            if (conf.lines().anyMatch(line -> line.matches("\\s*port\\s*=\\s*5432\\b.*"))) {
                return version.getFileName().toString();
            }
        }
        throw new IllegalStateException(
                "no PostgreSQL cluster 'main' for port 5432 under /etc/postgresql: " + clusters);
    }

    private interface Sql {
        void run(Statement statement) throws SQLException;
    }

    /** On the maintenance database: a database cannot be created or dropped from inside itself. */
    private static void administer(Sql sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(SERVER + "postgres", USER, null);
                Statement statement = connection.createStatement()) {
            sql.run(statement);
        }
    }
}
