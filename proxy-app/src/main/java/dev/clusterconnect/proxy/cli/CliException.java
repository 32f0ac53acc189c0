package dev.clusterconnect.proxy.cli;

/** A failure the CLI reports as one clear line and an exit code, never as a stack trace. */
final class CliException extends RuntimeException {

    final int exitCode;

    CliException(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }
}
