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
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * An OIDC issuer over HTTPS whose discovery document answers at once and whose JWKS answers only
 * when the test {@link #release()}s it: an issuer slow to hand out its keys.
 */
public final class SlowIssuer implements AutoCloseable {

    private final HttpsServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final AtomicInteger jwksAnswers = new AtomicInteger();
    private volatile CountDownLatch gate = new CountDownLatch(1);
    private volatile RSAKey key;
    private final Path caFile;
    private final String url;

    public SlowIssuer(Path directory) throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("slow issuer CA", Duration.ofDays(1));
        CertificateAuthority.Issued tls =
                ca.issueServer("localhost", List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1));
        caFile = directory.resolve("slow-issuer-ca.pem");
        Files.writeString(caFile, ca.certificatePem());
        key = new RSAKeyGenerator(2048).keyID("slow-1").generate();
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(sslContext(tls)));
        server.setExecutor(threads);
        url = "https://127.0.0.1:" + server.getAddress().getPort() + "/slow";
        server.createContext(
                "/slow/.well-known/openid-configuration",
                exchange -> answer(exchange, "{\"issuer\":\"" + url + "\",\"jwks_uri\":\"" + url + "/jwks\"}"));
        server.createContext("/slow/jwks", exchange -> {
            CountDownLatch held = gate;
            try {
                held.await(30, TimeUnit.SECONDS); // the issuer's client gives up after 5 s anyway
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answer(exchange, new JWKSet(key.toPublicJWK()).toString());
            jwksAnswers.incrementAndGet();
        });
        server.start();
    }

    public String url() {
        return url;
    }

    public Path caFile() {
        return caFile;
    }

    public RSAKey signingKey() {
        return key;
    }

    /** A token of this issuer for the user, valid ten minutes, with an empty {@code groups} claim. */
    public String token(String user, String audience) {
        return Tokens.sign(
                key,
                Tokens.claims(url, audience)
                        .claim("preferred_username", user)
                        .claim("groups", List.of())
                        .build());
    }

    /**
     * Signs with a new key from now on and holds the JWKS again: a client that knows the old key
     * fetches the new one when its first token arrives, not before.
     */
    public void rotateAndHold() throws Exception {
        gate = new CountDownLatch(1);
        key = new RSAKeyGenerator(2048).keyID("slow-" + System.nanoTime()).generate();
    }

    /** @return how many times the JWKS was answered */
    public int jwksRequests() {
        return jwksAnswers.get();
    }

    /** Lets the JWKS answer. */
    public void release() {
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
