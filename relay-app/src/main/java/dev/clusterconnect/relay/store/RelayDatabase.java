package dev.clusterconnect.relay.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's database: opened once at start-up, migrated to the current schema, and shared by
 * the repositories it hands out. Works on PostgreSQL (production) and on an embedded H2 file
 * (single-node default, tests).
 *
 * <pre>{@code
 * try (RelayDatabase db = RelayDatabase.open("jdbc:postgresql://db:5432/relay", "relay", pw)) {
 *   Cluster cluster = db.clusters().register("alice", "prod");
 * }
 * }</pre>
 */
public final class RelayDatabase implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RelayDatabase.class);
    /** User name {@link #openEmbedded} creates the H2 file with. */
    public static final String EMBEDDED_USER = "relay";
    // Long enough for a loaded database, short enough for a readiness probe to give an answer.
    private static final long CONNECTION_TIMEOUT_MS = 3_000;
    private static final int HEALTH_QUERY_TIMEOUT_SECONDS = 2;
    private static final int POOL_SIZE = 10;

    private final HikariDataSource pool;
    private final Clusters clusters;
    private final BootstrapTokens bootstrapTokens;
    private final AgentKeys agentKeys;
    private final Grants grants;
    private final Presence presence;
    private final boolean postgres;

    private RelayDatabase(HikariDataSource pool, Clock clock) {
        this.pool = pool;
        this.postgres = pool.getJdbcUrl().startsWith("jdbc:postgresql:");
        Jdbc jdbc = new Jdbc(pool, clock);
        this.presence = new Presence(jdbc, postgres);
        this.clusters = new Clusters(jdbc);
        this.bootstrapTokens = new BootstrapTokens(jdbc);
        this.agentKeys = new AgentKeys(jdbc, bootstrapTokens);
        this.grants = new Grants(jdbc);
    }

    /**
     * Connects and migrates the schema to the current version.
     *
     * @param jdbcUrl a {@code jdbc:postgresql:} or {@code jdbc:h2:} URL
     * @param user database user
     * @param password database password; null or empty for none (trust authentication)
     * @throws IllegalArgumentException for any other kind of URL
     * @throws StoreException if the database cannot be reached or migrated
     */
    public static RelayDatabase open(String jdbcUrl, String user, String password) {
        return open(jdbcUrl, user, password, Clock.systemUTC());
    }

    /** As {@link #open(String, String, String)}, with the clock every timestamp comes from. */
    public static RelayDatabase open(String jdbcUrl, String user, String password, Clock clock) {
        HikariDataSource pool = connect(poolConfig(jdbcUrl, user, password));
        try {
            migrate(pool);
            RelayDatabase database = new RelayDatabase(pool, clock);
            LOG.info("Relay store ready on {}", database.describe());
            return database;
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /**
     * Opens (creating if needed) the embedded H2 database in a directory: the default when no
     * external database is configured. Only one process may open it at a time.
     */
    public static RelayDatabase openEmbedded(Path directory) {
        return open(embeddedUrl(directory), EMBEDDED_USER, "", Clock.systemUTC());
    }

    /**
     * @return the JDBC URL of the embedded H2 database file {@code relay.mv.db} in the directory
     */
    public static String embeddedUrl(Path directory) {
        String file = directory.toAbsolutePath().resolve("relay").toString();
        if (file.contains(";")) {
            throw new IllegalArgumentException("';' in the path would end the JDBC URL: " + file);
        }
        // DB_CLOSE_ON_EXIT=FALSE: close() shuts H2 down, not a JVM hook racing the relay's shutdown.
        // LOCK_TIMEOUT: writers queue on a row (token consumption) instead of failing after 1 s.
        // WRITE_DELAY=0: each commit reaches the file before the caller hears of it; H2's default
        // keeps it in memory for up to a second, and a relay killed then loses what it answered 201 for.
        return "jdbc:h2:file:" + file + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE"
                + ";DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000;WRITE_DELAY=0";
    }

    /** @return registered clusters and their connection status */
    public Clusters clusters() {
        return clusters;
    }

    /** @return one-time agent enrolment tokens */
    public BootstrapTokens bootstrapTokens() {
        return bootstrapTokens;
    }

    /** @return agents' public keys */
    public AgentKeys agentKeys() {
        return agentKeys;
    }

    /** @return access grants and the access decision */
    public Grants grants() {
        return grants;
    }

    /** @return relay replicas' leases and which of them hold each cluster's tunnels */
    public Presence presence() {
        return presence;
    }

    /** @return true on PostgreSQL, which several replicas can share (H2 is one process's file) */
    public boolean isPostgres() {
        return postgres;
    }

    /**
     * A connection of the pool for the caller to keep (a LISTEN session); it must close it.
     *
     * @throws SQLException when the database cannot be reached
     */
    public Connection dedicatedConnection() throws SQLException {
        return pool.getConnection();
    }

    /**
     * A cheap {@code SELECT 1} for the readiness probe. Answers within about five seconds even
     * when the database is gone, and never throws.
     *
     * @return true if the database answered
     */
    public boolean isHealthy() {
        if (pool.isClosed()) {
            return false;
        }
        try (Connection connection = pool.getConnection();
                Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(HEALTH_QUERY_TIMEOUT_SECONDS);
            try (ResultSet result = statement.executeQuery("SELECT 1")) {
                return result.next() && result.getInt(1) == 1;
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("Relay store health check failed: {}", e.getMessage());
            return false;
        }
    }

    /** Closes every connection; for the embedded database this also shuts H2 down. */
    @Override
    public void close() {
        pool.close();
    }

    private static HikariConfig poolConfig(String jdbcUrl, String user, String password) {
        if (jdbcUrl == null || !(jdbcUrl.startsWith("jdbc:postgresql:") || jdbcUrl.startsWith("jdbc:h2:"))) {
            // Never echo the URL: it may carry a password parameter.
            throw new IllegalArgumentException("relay store needs a jdbc:postgresql: or jdbc:h2: URL");
        }
        HikariConfig config = new HikariConfig();
        config.setPoolName("relay-store");
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password == null || password.isEmpty() ? null : password);
        config.setMaximumPoolSize(POOL_SIZE);
        config.setConnectionTimeout(CONNECTION_TIMEOUT_MS);
        return config;
    }

    private static HikariDataSource connect(HikariConfig config) {
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            // The driver's message names host and port, never the password.
            throw new StoreException("cannot connect to the relay store: " + e.getMessage(), e);
        }
    }

    private static void migrate(HikariDataSource pool) {
        try {
            Flyway.configure()
                    .dataSource(pool)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new StoreException("relay store migration failed: " + e.getMessage(), e);
        }
    }

    private String describe() {
        try (Connection connection = pool.getConnection()) {
            DatabaseMetaData meta = connection.getMetaData();
            return meta.getDatabaseProductName() + " " + meta.getDatabaseProductVersion();
        } catch (SQLException e) {
            return "an unidentified database";
        }
    }
}
