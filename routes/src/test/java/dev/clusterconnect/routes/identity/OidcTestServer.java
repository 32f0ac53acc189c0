package dev.clusterconnect.routes.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.MockWebServerWrapper;
import no.nav.security.mock.oauth2.http.Ssl;
import no.nav.security.mock.oauth2.token.KeyProvider;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;

/**
 * A real OIDC server (navikt mock-oauth2-server) over HTTPS on a free port. Each issuer id is an
 * issuer at {@code https://localhost:<port>/<id>}; its signing key is visible to tests (to forge
 * tokens with it) and can be rotated. The server's self-signed certificate is written to a PEM file
 * for the authenticator's {@code ca-file}.
 */
final class OidcTestServer implements AutoCloseable {

    private final RotatingKeyProvider keys = new RotatingKeyProvider();
    private final MockWebServerWrapper http;
    private final MockOAuth2Server server;
    private final Path caFile;

    OidcTestServer(Path directory) throws IOException, GeneralSecurityException {
        Ssl ssl = new Ssl();
        http = new MockWebServerWrapper(ssl);
        OAuth2Config config = new OAuth2Config(false, null, null, false, new OAuth2TokenProvider(keys), Set.of(), http);
        server = new MockOAuth2Server(config);
        server.start();
        caFile = directory.resolve("issuer-ca.pem");
        Files.writeString(caFile, pem(ssl.getSslKeystore().getKeyStore().getCertificate("localhost")));
    }

    /** The issuer URL for an issuer id, exactly as it appears in {@code iss}. */
    String issuer(String issuerId) {
        return server.issuerUrl(issuerId).toString();
    }

    /** A token issued by the server itself. */
    String issue(String issuerId, String subject, String audience, Map<String, Object> claims, long expirySeconds) {
        return server.issueToken(issuerId, subject, audience, claims, expirySeconds)
                .serialize();
    }

    /** A token issued by the server, valid for an hour. */
    String issue(String issuerId, String audience, Map<String, Object> claims) {
        return issue(issuerId, "subject-1", audience, claims, 3600);
    }

    /** The issuer's current private signing key. */
    RSAKey signingKey(String issuerId) {
        return keys.signingKey(issuerId).toRSAKey();
    }

    /** Replaces the issuer's key with a new one under a new kid; the JWKS publishes only the new key. */
    RSAKey rotate(String issuerId) {
        return keys.rotate(issuerId);
    }

    /** PEM file with the server's TLS certificate. */
    Path caFile() {
        return caFile;
    }

    /** Every HTTP request the server has answered so far (discovery, JWKS, ...). */
    int requestCount() {
        return http.getMockWebServer().getRequestCount();
    }

    @Override
    public void close() {
        server.shutdown();
    }

    /** A certificate in PEM form. */
    static String pem(Certificate certificate) {
        try {
            String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(certificate.getEncoded());
            return "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n";
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One current RSA key per issuer id, with kids {@code <id>-1}, {@code <id>-2}, ... */
    private static final class RotatingKeyProvider extends KeyProvider {
        private final Map<String, RSAKey> current = new ConcurrentHashMap<>();
        private final Map<String, AtomicInteger> generations = new ConcurrentHashMap<>();

        @Override
        public JWK signingKey(String issuerId) {
            return current.computeIfAbsent(issuerId, this::newKey);
        }

        RSAKey rotate(String issuerId) {
            RSAKey next = newKey(issuerId);
            current.put(issuerId, next);
            return next;
        }

        private RSAKey newKey(String issuerId) {
            int generation = generations
                    .computeIfAbsent(issuerId, id -> new AtomicInteger())
                    .incrementAndGet();
            try {
                return new RSAKeyGenerator(2048)
                        .keyID(issuerId + "-" + generation)
                        .generate();
            } catch (JOSEException e) {
                throw new UncheckedIOException(new IOException(e));
            }
        }
    }
}
