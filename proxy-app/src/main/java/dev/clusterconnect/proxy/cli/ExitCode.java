package dev.clusterconnect.proxy.cli;

/** Exit codes scripts can rely on (documented in the README). */
final class ExitCode {

    static final int OK = 0;
    /** Something failed at run time (relay unreachable, a file could not be written). */
    static final int FAILED = 1;
    /** The command line is wrong. */
    static final int USAGE = 2;
    /** No usable token, or the relay refused it (401/403). */
    static final int AUTH = 3;
    /** The local port is taken. */
    static final int PORT_IN_USE = 4;

    private ExitCode() {}
}
