package dev.clusterconnect.relay.store;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Hands each test fresh databases and removes them afterwards: an H2 file in a temporary
 * directory, or a randomly named database on the local PostgreSQL server. PostgreSQL being
 * down fails the test; it never skips it.
 *
 * <p>Register with {@code @RegisterExtension final TestDatabases databases = new TestDatabases();}
 */
final class TestDatabases implements AfterEachCallback {

    static final String POSTGRES_ADMIN_URL = System.getProperty(
            "relay.store.test.postgres-url", "jdbc:postgresql://127.0.0.1:5432/test?connectTimeout=5");
    static final String POSTGRES_USER = "postgres";
    // Same server as the admin URL, another database: "jdbc:postgresql://host:port/".
    private static final String POSTGRES_HOST_PREFIX =
            POSTGRES_ADMIN_URL.substring(0, POSTGRES_ADMIN_URL.split("\\?")[0].lastIndexOf('/') + 1);
    private static final String HOW_TO_START =
            "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start";

    private final List<RelayDatabase> opened = new ArrayList<>();
    private final List<Runnable> cleanups = new ArrayList<>();

    /** @return an open, migrated, empty relay database */
    RelayDatabase open(Backend backend, Clock clock) {
        RelayDatabase database = create(backend).open(clock);
        opened.add(database);
        return database;
    }

    /** @return an open database on the system clock */
    RelayDatabase open(Backend backend) {
        return open(backend, Clock.systemUTC());
    }

    /** Opens an existing test database again; closed after the test. */
    RelayDatabase reopen(TestDatabase database, Clock clock) {
        RelayDatabase reopened = database.open(clock);
        opened.add(reopened);
        return reopened;
    }

    /** @return a fresh, empty database, not yet opened */
    TestDatabase create(Backend backend) {
        return switch (backend) {
            case H2 -> createH2();
            case POSTGRESQL -> createPostgres();
        };
    }

    @Override
    public void afterEach(ExtensionContext context) {
        opened.forEach(RelayDatabase::close);
        opened.clear();
        cleanups.forEach(Runnable::run);
        cleanups.clear();
    }

    private TestDatabase createH2() {
        try {
            Path directory = Files.createTempDirectory("relay-store-test");
            cleanups.add(() -> deleteRecursively(directory));
            return new TestDatabase(Backend.H2, RelayDatabase.embeddedUrl(directory), RelayDatabase.EMBEDDED_USER, "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private TestDatabase createPostgres() {
        String name = "relay_store_test_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
        administer("CREATE DATABASE " + name);
        // FORCE ends connections a failed test left open, so the drop cannot hang or fail.
        cleanups.add(() -> administer("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"));
        return new TestDatabase(Backend.POSTGRESQL, POSTGRES_HOST_PREFIX + name, POSTGRES_USER, null);
    }

    /** Runs one statement on the PostgreSQL "test" database as the administrator. */
    static void administer(String sql) {
        Connection connection = connectAdmin();
        try (connection;
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed: " + e.getMessage(), e);
        }
    }

    private static Connection connectAdmin() {
        try {
            return DriverManager.getConnection(POSTGRES_ADMIN_URL, POSTGRES_USER, null);
        } catch (SQLException e) {
            return fail(
                    "PostgreSQL is not reachable at " + POSTGRES_ADMIN_URL + " as user "
                            + POSTGRES_USER + " (" + e.getMessage() + "). These tests need it; start it with: "
                            + HOW_TO_START,
                    e);
        }
    }

    private static void deleteRecursively(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
