package dev.clusterconnect.relay.store;

/** The databases every repository test runs against. */
enum Backend {
    /** Embedded H2 file database in a temporary directory. */
    H2,
    /** The real PostgreSQL server on 127.0.0.1:5432, a fresh database per test. */
    POSTGRESQL
}
