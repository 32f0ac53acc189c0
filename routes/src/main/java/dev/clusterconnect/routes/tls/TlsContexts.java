package dev.clusterconnect.routes.tls;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS contexts of every hop. There is deliberately no "insecure" switch: a client trusts the
 * system's CAs, or exactly the CA it is given.
 */
public final class TlsContexts {

    private static final Logger LOG = LoggerFactory.getLogger(TlsContexts.class);

    static {
        // Netty picks BoringSSL (netty-tcnative) when it loads on this platform, the JDK's engine
        // otherwise; both verify the same way, BoringSSL moves bytes at a fraction of the CPU.
        if (OpenSsl.isAvailable()) {
            LOG.info("TLS engine: {} (netty-tcnative)", OpenSsl.versionString());
        } else {
            LOG.info(
                    "TLS engine: the JDK's (BoringSSL not available: {})",
                    String.valueOf(OpenSsl.unavailabilityCause()));
        }
    }

    private TlsContexts() {}

    public static SslContext server(Path certificateChain, Path key) {
        try {
            return SslContextBuilder.forServer(certificateChain.toFile(), key.toFile())
                    .build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "cannot load TLS certificate " + certificateChain + ": " + e.getMessage(), e);
        }
    }

    public static SslContext server(CertificateAuthority.Issued issued) {
        try {
            return SslContextBuilder.forServer(issued.key(), issued.certificate(), issued.issuer())
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The relay's peer port: presents this replica's certificate and admits only clients with a
     * certificate issued by the peer CA (mutual TLS between replicas).
     */
    public static SslContext mutualServer(Path certificateChain, Path key, Path caFile) {
        try {
            return SslContextBuilder.forServer(certificateChain.toFile(), key.toFile())
                    .trustManager(PemFiles.readCertificates(caFile).toArray(X509Certificate[]::new))
                    .clientAuth(ClientAuth.REQUIRE)
                    .build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "cannot load peer TLS certificate " + certificateChain + ": " + e.getMessage(), e);
        }
    }

    /** A replica dialing a peer: trusts only the peer CA and presents this replica's certificate. */
    public static SslContext mutualClient(Path certificateChain, Path key, Path caFile) {
        try {
            return SslContextBuilder.forClient()
                    .trustManager(PemFiles.readCertificates(caFile).toArray(X509Certificate[]::new))
                    .keyManager(certificateChain.toFile(), key.toFile())
                    .build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "cannot load peer TLS certificate " + certificateChain + ": " + e.getMessage(), e);
        }
    }

    /** A client context that trusts the CAs in a PEM file, or the system's when {@code caFile} is null. */
    public static SslContext client(Path caFile) {
        return client(
                caFile == null ? null : PemFiles.readCertificates(caFile).toArray(X509Certificate[]::new), null, null);
    }

    /** A client context that trusts the PEM certificates given (kubeconfig certificate-authority-data). */
    public static SslContext clientTrustingPem(String caPem) {
        return client(PemFiles.parseCertificates(caPem).toArray(X509Certificate[]::new), null, null);
    }

    /**
     * A client context.
     *
     * @param trusted the CAs to trust; null for the system's
     * @param clientKey a client certificate key (kubeconfig client-certificate auth), or null
     */
    public static SslContext client(X509Certificate[] trusted, PrivateKey clientKey, X509Certificate[] clientChain) {
        try {
            SslContextBuilder builder = SslContextBuilder.forClient();
            if (trusted != null) {
                builder.trustManager(trusted);
            }
            if (clientKey != null) {
                builder.keyManager(clientKey, clientChain);
            }
            return builder.build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build a TLS client context", e);
        }
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    static ByteArrayInputStream stream(String text) {
        return new ByteArrayInputStream(ascii(text));
    }
}
