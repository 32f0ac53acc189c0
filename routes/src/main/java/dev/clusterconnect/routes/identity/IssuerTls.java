package dev.clusterconnect.routes.identity;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** TLS trust for fetching an issuer's discovery document and keys: the JVM's CAs plus an optional extra CA file. */
final class IssuerTls {

    private IssuerTls() {}

    /**
     * A socket factory trusting the JVM's default CAs and every certificate in {@code caFile}
     * (PEM, one or more certificates), or {@code null} for the JVM default when there is no file.
     */
    static SSLSocketFactory socketFactory(Path caFile) throws IOException, GeneralSecurityException {
        if (caFile == null) {
            return null;
        }
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        int index = 0;
        // Extra CA *in addition to* the public ones: an issuer behind a private CA may still
        // redirect to, or serve its JWKS from, a publicly signed host.
        for (X509Certificate ca : defaultTrustManager().getAcceptedIssuers()) {
            trust.setCertificateEntry("default-" + index++, ca);
        }
        for (X509Certificate ca : readCertificates(caFile)) {
            trust.setCertificateEntry("extra-" + index++, ca);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context.getSocketFactory();
    }

    /** The certificates in a PEM file; at least one, or an exception. */
    static List<X509Certificate> readCertificates(Path pemFile) throws IOException, GeneralSecurityException {
        List<X509Certificate> certificates = new ArrayList<>();
        try (InputStream in = Files.newInputStream(pemFile)) {
            for (Certificate certificate :
                    CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                certificates.add((X509Certificate) certificate);
            }
        }
        if (certificates.isEmpty()) {
            throw new GeneralSecurityException("no certificate in " + pemFile);
        }
        return certificates;
    }

    private static X509TrustManager defaultTrustManager() throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init((KeyStore) null);
        for (var manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("the JVM has no X.509 trust manager");
    }
}
