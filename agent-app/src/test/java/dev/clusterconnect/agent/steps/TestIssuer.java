package dev.clusterconnect.agent.steps;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.clusterconnect.routes.tls.CertificateAuthority;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A minimal OIDC issuer over HTTPS on a free loopback port: a discovery document and a JWKS with
 * one ES256 key, which tests sign any claims with (expired, wrong audience, a reserved user). The
 * JDK's own server and EC keys keep it quick to start; its CA goes to the authenticator's
 * {@code ca-file}, so the agent checks the issuer's certificate as in production.
 */
final class TestIssuer implements AutoCloseable {

    static final String ID = "corp";
    static final String AUDIENCE = "api://clusterconnect";

    private final ECKey key;
    private final HttpsServer server;
    private final String url;
    private final Path caFile;

    TestIssuer(Path directory) throws Exception {
        key = ecKey(ID + "-1");
        CertificateAuthority ca = CertificateAuthority.create("test issuer CA", Duration.ofHours(1));
        CertificateAuthority.Issued tls =
                ca.issueServer("localhost", List.of("localhost"), List.of("127.0.0.1"), Duration.ofHours(1));
        caFile = directory.resolve("issuer-ca.pem");
        Files.writeString(caFile, ca.certificatePem());

        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverTls(tls)));
        url = "https://localhost:" + server.getAddress().getPort() + "/" + ID;
        String discovery = "{\"issuer\":\"" + url + "\",\"jwks_uri\":\"" + url + "/jwks\"}";
        server.createContext("/" + ID + "/.well-known/openid-configuration", exchange -> json(exchange, discovery));
        server.createContext("/" + ID + "/jwks", exchange -> json(exchange, new JWKSet(key.toPublicJWK()).toString()));
        server.start();
    }

    /** The issuer URL exactly as it appears in {@code iss}. */
    String url() {
        return url;
    }

    ECKey key() {
        return key;
    }

    /** The agent's {@code agent.oidc.*} properties trusting this issuer, plus {@code more}. */
    Map<String, String> agentProperties(Map<String, String> more) {
        String prefix = "agent.oidc.issuers." + ID + ".";
        Map<String, String> properties = new HashMap<>(Map.of(
                prefix + "url",
                url,
                prefix + "audience",
                AUDIENCE,
                prefix + "username-claim",
                "preferred_username",
                prefix + "groups-claim",
                "groups",
                prefix + "ca-file",
                caFile.toString()));
        properties.putAll(more);
        return properties;
    }

    /** Claims this issuer would put in a token for {@code user}, valid for ten minutes. */
    JWTClaimsSet.Builder claims(String user, String... groups) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(url)
                .audience(AUDIENCE)
                .subject("sub-" + user)
                .claim("preferred_username", user)
                .claim("groups", List.of(groups))
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(600)))
                .jwtID(UUID.randomUUID().toString());
    }

    /** {@code claims} signed with this issuer's key. */
    String sign(JWTClaimsSet claims) {
        return sign(key, claims);
    }

    static String sign(ECKey signer, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.ES256)
                            .keyID(signer.getKeyID())
                            .type(JOSEObjectType.JWT)
                            .build(),
                    claims);
            jwt.sign(new ECDSASigner(signer));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static ECKey ecKey(String kid) throws JOSEException {
        return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private static SSLContext serverTls(CertificateAuthority.Issued tls) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        char[] password = "test".toCharArray();
        store.setKeyEntry("localhost", tls.key(), password, new Certificate[] {tls.certificate(), tls.issuer()});
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    private static void json(HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
