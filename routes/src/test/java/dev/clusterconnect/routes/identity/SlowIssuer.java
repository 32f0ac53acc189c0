package dev.clusterconnect.routes.identity;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.clusterconnect.routes.tls.CertificateAuthority;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * An OIDC issuer over HTTPS whose discovery document answers at once and whose JWKS answers only
 * when the test {@link #release()}s it: an issuer slow to hand out its keys.
 */
final class SlowIssuer implements AutoCloseable {

    private final HttpsServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final CountDownLatch gate = new CountDownLatch(1);
    private final RSAKey key;
    private final Path caFile;
    private final String url;

    SlowIssuer(Path directory) throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("slow issuer CA", Duration.ofDays(1));
        CertificateAuthority.Issued tls = ca.issueServer("localhost", List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1));
        caFile = directory.resolve("slow-issuer-ca.pem");
        Files.writeString(caFile, ca.certificatePem());
        key = new RSAKeyGenerator(2048).keyID("slow-1").generate();
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(sslContext(tls)));
        server.setExecutor(threads);
        url = "https://127.0.0.1:" + server.getAddress().getPort() + "/slow";
        server.createContext("/slow/.well-known/openid-configuration", exchange ->
                answer(exchange, "{\"issuer\":\"" + url + "\",\"jwks_uri\":\"" + url + "/jwks\"}"));
        server.createContext("/slow/jwks", exchange -> {
            try {
                gate.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answer(exchange, new JWKSet(key.toPublicJWK()).toString());
        });
        server.start();
    }

    String url() {
        return url;
    }

    Path caFile() {
        return caFile;
    }

    RSAKey signingKey() {
        return key;
    }

    /** Lets the JWKS answer. */
    void release() {
        gate.countDown();
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        threads.shutdownNow();
    }

    private static void answer(HttpExchange exchange, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private static SSLContext sslContext(CertificateAuthority.Issued tls) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("tls", tls.key(), new char[0], new Certificate[] {tls.certificate(), tls.issuer()});
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, new char[0]);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }
}
