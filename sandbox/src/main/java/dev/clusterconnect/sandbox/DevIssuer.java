package dev.clusterconnect.sandbox;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A minimal OIDC issuer for the demo: discovery, a JWKS and RS256 tokens it mints itself, over
 * HTTPS on 127.0.0.1. Real deployments trust Entra ID, Keycloak, Google or GitHub instead; this
 * only lets the demo show the whole chain, relay access checks included, with no outside service.
 */
public final class DevIssuer implements AutoCloseable {

    private final HttpsServer server;
    private final RSAKey key;
    private final String url;
    private final String caPem;

    private DevIssuer(HttpsServer server, RSAKey key, String caPem) {
        this.server = server;
        this.key = key;
        this.url = "https://127.0.0.1:" + server.getAddress().getPort();
        this.caPem = caPem;
    }

    /** Starts on {@code port} (0: a free one). */
    public static DevIssuer start(int port) throws IOException {
        try {
            TlsMaterial tls = TlsMaterial.generate();
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            char[] password = UUID.randomUUID().toString().toCharArray();
            store.setKeyEntry("issuer", tls.serverKey(), password, new Certificate[] {tls.server(), tls.ca()});
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", port), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(context));
            RSAKey key = new RSAKeyGenerator(2048)
                    .keyID(UUID.randomUUID().toString())
                    .generate();
            DevIssuer issuer = new DevIssuer(server, key, tls.caPem());
            server.createContext("/.well-known/openid-configuration", issuer::discovery);
            server.createContext("/keys", issuer::keys);
            server.start();
            return issuer;
        } catch (java.security.GeneralSecurityException | JOSEException e) {
            throw new IllegalStateException("cannot start the demo issuer", e);
        }
    }

    public String url() {
        return url;
    }

    /** PEM of the CA that signed this issuer's TLS certificate. */
    public String caPem() {
        return caPem;
    }

    /** A signed token for {@code user} in {@code groups}. */
    public String token(String user, List<String> groups, String audience, Duration lifetime) {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(url)
                .subject("demo|" + user)
                .audience(audience)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now.minusSeconds(5)))
                .expirationTime(Date.from(now.plus(lifetime)))
                .claim("preferred_username", user)
                .claim("groups", groups)
                .build();
        try {
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.RS256)
                            .keyID(key.getKeyID())
                            .build(),
                    claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private void discovery(HttpExchange exchange) throws IOException {
        respond(
                exchange,
                "{\"issuer\":\"" + url + "\",\"jwks_uri\":\"" + url + "/keys\","
                        + "\"response_types_supported\":[\"id_token\"],\"subject_types_supported\":[\"public\"],"
                        + "\"id_token_signing_alg_values_supported\":[\"RS256\"]}");
    }

    private void keys(HttpExchange exchange) throws IOException {
        respond(exchange, new JWKSet(key.toPublicJWK()).toString());
    }

    private static void respond(HttpExchange exchange, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
