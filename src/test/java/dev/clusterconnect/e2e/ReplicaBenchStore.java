package dev.clusterconnect.e2e;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the replicas cost their shared PostgreSQL database, read from the server's own statistics
 * ({@code pg_stat_database}, {@code pg_stat_user_tables}), and where the presence rows stand. One
 * connection of its own, held for the whole benchmark.
 *
 * <p>PostgreSQL 15 backends flush their counters to the shared statistics at most once a second,
 * and one that goes idle less than a second after its last flush flushes again only after 10 s
 * (PGSTAT_IDLE_INTERVAL). So a snapshot reads the counters {@link #SETTLE_MILLIS} after its
 * moment: then they hold everything committed before it. Measured with a 2 s wait, a window
 * after a burst of 300 presence inserts still counted 88 of them.
 */
final class ReplicaBenchStore implements AutoCloseable {

    /** The tables presence and connection status live in. */
    static final List<String> TABLES = List.of("relay_instances", "tunnel_presence", "cluster_status");

    static final long SETTLE_MILLIS = 11_000;

    private final Connection connection;
    private final String database;

    /** The counters at one moment: commits in the database, rows written per table. */
    record Snapshot(long nanos, long commits, Map<String, long[]> rowsByTable) {

        /** Rows inserted, updated and deleted in {@code table} since {@code before}: {ins, upd, del}. */
        long[] rowsSince(Snapshot before, String table) {
            long[] now = rowsByTable.getOrDefault(table, new long[3]);
            long[] then = before.rowsByTable.getOrDefault(table, new long[3]);
            return new long[] {now[0] - then[0], now[1] - then[1], now[2] - then[2]};
        }

        double seconds(Snapshot before) {
            return (nanos - before.nanos) / 1e9;
        }

        /**
         * One line per table: "ins / upd / del rows, per second", and the commits. {@code seconds}
         * is the window the rates are for (the snapshots themselves wait to settle).
         */
        Map<String, String> describeSince(Snapshot before, double seconds) {
            Map<String, String> lines = new LinkedHashMap<>();
            lines.put(
                    "transactions committed (all, reads included)",
                    String.format(
                            Locale.ROOT,
                            "%d (%.1f/s)",
                            commits - before.commits,
                            (commits - before.commits) / seconds));
            for (String table : TABLES) {
                long[] rows = rowsSince(before, table);
                lines.put(
                        table + " rows ins / upd / del",
                        String.format(
                                Locale.ROOT,
                                "%d / %d / %d (%.1f / %.1f / %.1f per s)",
                                rows[0],
                                rows[1],
                                rows[2],
                                rows[0] / seconds,
                                rows[1] / seconds,
                                rows[2] / seconds));
            }
            return lines;
        }
    }

    private ReplicaBenchStore(Connection connection, String database) {
        this.connection = connection;
        this.database = database;
    }

    static ReplicaBenchStore open(PostgresDatabase database) throws SQLException {
        Connection connection = DriverManager.getConnection(database.url(), PostgresDatabase.USER, null);
        connection.setAutoCommit(true);
        return new ReplicaBenchStore(connection, database.name);
    }

    /** The counters now, after waiting for the backends to have flushed theirs. */
    Snapshot snapshot() throws SQLException, InterruptedException {
        long nanos = System.nanoTime();
        Thread.sleep(SETTLE_MILLIS); // the statistics' own flush interval, not a wait for a condition
        try (Statement statement = connection.createStatement()) {
            // A transaction's statistics snapshot is cached; without this two reads could agree.
            statement.execute("SELECT pg_stat_clear_snapshot()");
        }
        long commits;
        try (PreparedStatement statement =
                connection.prepareStatement("SELECT xact_commit FROM pg_stat_database WHERE datname = ?")) {
            statement.setString(1, database);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                commits = row.getLong(1);
            }
        }
        Map<String, long[]> rows = new LinkedHashMap<>();
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(
                        "SELECT relname, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_user_tables")) {
            while (row.next()) {
                rows.put(row.getString(1), new long[] {row.getLong(2), row.getLong(3), row.getLong(4)});
            }
        }
        return new Snapshot(nanos, commits, rows);
    }

    /** Presence rows per replica. */
    Map<String, Integer> presenceByInstance() throws SQLException {
        Map<String, Integer> counts = new LinkedHashMap<>();
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(
                        "SELECT instance_id, count(*) FROM tunnel_presence GROUP BY instance_id ORDER BY instance_id")) {
            while (row.next()) {
                counts.put(row.getString(1), row.getInt(2));
            }
        }
        return counts;
    }

    /** Where the clusters' presence stands while one replica's agents move away from it. */
    record Move(int atOthers, int atLeaving, int nowhere, boolean leavingRegistered) {}

    Move move(String leaving) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT"
                + " (SELECT count(DISTINCT cluster_id) FROM tunnel_presence WHERE instance_id <> ?),"
                + " (SELECT count(*) FROM tunnel_presence WHERE instance_id = ?),"
                + " (SELECT count(*) FROM clusters c WHERE NOT EXISTS (SELECT 1 FROM tunnel_presence p WHERE p.cluster_id = c.id)),"
                + " (SELECT count(*) FROM relay_instances WHERE id = ?)")) {
            statement.setString(1, leaving);
            statement.setString(2, leaving);
            statement.setString(3, leaving);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return new Move(row.getInt(1), row.getInt(2), row.getInt(3), row.getInt(4) > 0);
            }
        }
    }

    /** Clusters the store marks connected (cluster_status). */
    int connectedClusters() throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT count(*) FROM cluster_status WHERE connected")) {
            row.next();
            return row.getInt(1);
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
