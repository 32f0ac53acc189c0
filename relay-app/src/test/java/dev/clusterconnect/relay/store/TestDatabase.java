package dev.clusterconnect.relay.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;

/**
 * One empty database for one test: its coordinates, and a way to open it (again) as the relay
 * would.
 */
record TestDatabase(Backend backend, String url, String user, String password) {

    RelayDatabase open(Clock clock) {
        return RelayDatabase.open(url, user, password, clock);
    }

    /** A plain connection, for looking at rows behind the repositories' back. */
    Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }
}
