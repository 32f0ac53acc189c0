package dev.clusterconnect.routes.tls;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * JDK {@link SSLContext}s for the few plain request/response calls made with
 * {@code java.net.http.HttpClient} (enrolment, the agent's own apiserver calls), where the Netty
 * contexts of {@link TlsContexts} do not apply.
 */
public final class JdkTls {

    private JdkTls() {}

    /** A client context trusting exactly {@code trusted}, or the JVM's CAs when it is empty. */
    public static SSLContext trusting(List<X509Certificate> trusted) {
        try {
            if (trusted.isEmpty()) {
                return SSLContext.getDefault();
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < trusted.size(); i++) {
                store.setCertificateEntry("ca-" + i, trusted.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot build a TLS context", e);
        }
    }
}
