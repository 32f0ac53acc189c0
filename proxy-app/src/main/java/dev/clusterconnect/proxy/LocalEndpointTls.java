package dev.clusterconnect.proxy;

import dev.clusterconnect.proxy.files.PrivateFiles;
import dev.clusterconnect.routes.tls.CertificateAuthority;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The local HTTPS endpoint's certificate. The CA is generated once and kept in the user's config
 * directory, so kubeconfigs written earlier stay valid; the server certificate is issued anew at
 * every start and names only 127.0.0.1, ::1 and localhost.
 */
public final class LocalEndpointTls {

    private final CertificateAuthority ca;
    private final CertificateAuthority.Issued server;
    private final String localToken;

    private LocalEndpointTls(CertificateAuthority ca, String localToken) {
        this.ca = ca;
        this.localToken = localToken;
        this.server = ca.issueServer(
                "clusterconnect local proxy", List.of("localhost"), List.of("127.0.0.1", "::1"), Duration.ofDays(30));
    }

    /** Loads the CA from {@code dir}, creating it on first use. */
    public static LocalEndpointTls inDirectory(Path dir) {
        Path cert = dir.resolve("local-ca.crt");
        Path key = dir.resolve("local-ca.key");
        CertificateAuthority ca;
        if (Files.isReadable(cert) && Files.isReadable(key)) {
            ca = CertificateAuthority.load(cert, key);
        } else {
            ca = CertificateAuthority.create("clusterconnect local proxy CA", Duration.ofDays(3650));
            ca.write(cert, key);
        }
        return new LocalEndpointTls(ca, localToken(dir.resolve("local-token")));
    }

    /** The secret kubectl presents to this endpoint; kept with the CA, readable by the user only. */
    private static String localToken(Path file) {
        try {
            if (Files.isReadable(file)) {
                return Files.readString(file).trim();
            }
            byte[] random = new byte[32];
            new java.security.SecureRandom().nextBytes(random);
            String token = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            PrivateFiles.writeAtomically(file, token.getBytes(StandardCharsets.US_ASCII));
            return token;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + file, e);
        }
    }

    public String localToken() {
        return localToken;
    }

    public CertificateAuthority.Issued server() {
        return server;
    }

    public String caPem() {
        return ca.certificatePem();
    }
}
