package dev.clusterconnect.sandbox.kubectl;

import dev.clusterconnect.sandbox.SandboxApiServer;
import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Java HTTP clients that trust a sandbox's CA. */
public final class HttpClients {

    private HttpClients() {}

    /** A client for {@code server}: trusting its CA when it serves TLS. */
    public static HttpClient forServer(SandboxApiServer server) throws Exception {
        if (server.caCertificatePem() == null) {
            return HttpClient.newHttpClient();
        }
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry(
                "sandbox",
                CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(
                                server.caCertificatePem().getBytes(StandardCharsets.US_ASCII))));
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, factory.getTrustManagers(), null);
        return HttpClient.newBuilder()
                .sslContext(ssl)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }
}
