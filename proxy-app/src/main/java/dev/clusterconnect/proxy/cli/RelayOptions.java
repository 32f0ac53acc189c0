package dev.clusterconnect.proxy.cli;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Which relay, and which CA to verify it with. */
final class RelayOptions {

    @Option(
            names = "--relay",
            paramLabel = "URL",
            defaultValue = "${env:CLUSTERCONNECT_RELAY}",
            description = "The relay, e.g. https://relay.example.com (default: $CLUSTERCONNECT_RELAY).")
    String relay;

    @Option(
            names = "--relay-ca",
            paramLabel = "FILE",
            defaultValue = "${env:CLUSTERCONNECT_RELAY_CA}",
            description = "PEM file of the CA that signed the relay's certificate (default: the system's CAs).")
    Path relayCa;

    URI relayUri() {
        if (relay == null || relay.isBlank()) {
            throw new CliException(ExitCode.USAGE, "which relay? give --relay or set CLUSTERCONNECT_RELAY");
        }
        URI uri = URI.create(relay.endsWith("/") ? relay.substring(0, relay.length() - 1) : relay);
        if (!"https".equals(uri.getScheme())) {
            throw new CliException(ExitCode.USAGE, "the relay URL must be https://, got " + relay);
        }
        return uri;
    }

    /** The CA PEM, or null for the system's trust store. */
    String caPem() {
        if (relayCa == null) {
            return null;
        }
        try {
            return Files.readString(relayCa);
        } catch (java.io.IOException e) {
            throw new CliException(ExitCode.USAGE, "cannot read --relay-ca " + relayCa + ": " + e.getMessage());
        }
    }
}
