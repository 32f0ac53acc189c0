package dev.clusterconnect.relay.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** The JDBC moves every repository needs: bind, query, update, transact, translate errors. */
final class Jdbc {

    /** Work done on one connection; may throw SQLException, which {@link Jdbc} translates. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Maps the current row of a result set. */
    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    private static final String UNIQUE_VIOLATION = "23505";
    // PostgreSQL reports a missing parent row as 23503, H2 as 23506.
    private static final List<String> MISSING_PARENT = List.of("23503", "23506");

    private final DataSource dataSource;
    private final Clock clock;

    Jdbc(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /**
     * The current time, cut to microseconds: PostgreSQL keeps no more, so a value written and
     * read back compares equal to the one the caller was given.
     */
    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /** Runs work on a connection in auto-commit mode: each statement commits on its own. */
    <T> T withConnection(String action, Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw translate(action, e);
        }
    }

    /** Runs work in one transaction, rolled back if the work throws anything. */
    <T> T inTransaction(String action, Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
            // No need to restore auto-commit: the pool resets it when the connection is returned.
        } catch (SQLException e) {
            throw translate(action, e);
        }
    }

    int update(String action, String sql, Object... params) {
        return withConnection(action, connection -> update(connection, sql, params));
    }

    <T> List<T> query(String action, String sql, RowMapper<T> mapper, Object... params) {
        return withConnection(action, connection -> query(connection, sql, mapper, params));
    }

    <T> Optional<T> queryOne(String action, String sql, RowMapper<T> mapper, Object... params) {
        return query(action, sql, mapper, params).stream().findFirst();
    }

    static int update(Connection connection, String sql, Object... params) throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql, params)) {
            return statement.executeUpdate();
        }
    }

    static <T> List<T> query(Connection connection, String sql, RowMapper<T> mapper, Object... params)
            throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql, params);
                ResultSet rows = statement.executeQuery()) {
            List<T> result = new ArrayList<>();
            while (rows.next()) {
                result.add(mapper.map(rows));
            }
            return result;
        }
    }

    /** Reads a TIMESTAMP WITH TIME ZONE column; null stays null. */
    static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... params) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        try {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, bindable(params[i]));
            }
            return statement;
        } catch (SQLException e) {
            statement.close();
            throw e;
        }
    }

    private static Object bindable(Object param) {
        if (param == null) {
            // Callers write NULL literally in SQL: an untyped null bind is refused by some drivers.
            throw new IllegalArgumentException("null parameter; write NULL in the SQL instead");
        }
        if (param instanceof Instant instant) {
            return instant.atOffset(ZoneOffset.UTC);
        }
        if (param instanceof Enum<?> value) {
            return value.name();
        }
        return param;
    }

    private static StoreException translate(String action, SQLException e) {
        String state = e.getSQLState();
        if (UNIQUE_VIOLATION.equals(state)) {
            return new AlreadyExistsException(action + ": already exists", e);
        }
        if (MISSING_PARENT.contains(state)) {
            return new UnknownClusterException(action + ": no such cluster", e);
        }
        return new StoreException(action + " failed: " + e.getMessage(), e);
    }
}
