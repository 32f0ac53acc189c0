package dev.clusterconnect.relay;

import dev.clusterconnect.routes.tls.CertificateAuthority;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Writes a throw-away CA and a relay certificate for 127.0.0.1 and localhost: for the demo and for
 * trying the relay on one machine. Production relays use a certificate from a real CA.
 *
 * <pre>java -cp relay-app-runnable.jar dev.clusterconnect.relay.DevCertificates DIR</pre>
 */
public final class DevCertificates {

    private DevCertificates() {}

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: DevCertificates <directory>");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        CertificateAuthority ca = CertificateAuthority.create("clusterconnect dev CA", Duration.ofDays(30));
        ca.write(dir.resolve("ca.crt"), dir.resolve("ca.key"));
        ca.issueServer("clusterconnect relay", List.of("localhost"), List.of("127.0.0.1", "::1"), Duration.ofDays(30))
                .write(dir.resolve("relay.crt"), dir.resolve("relay.key"));
        System.out.println("wrote ca.crt, relay.crt and relay.key to " + dir);
    }
}
