package dev.clusterconnect.routes.identity;

import static dev.clusterconnect.routes.identity.Tokens.assertRefused;
import static dev.clusterconnect.routes.identity.Tokens.claims;
import static dev.clusterconnect.routes.identity.Tokens.header;
import static dev.clusterconnect.routes.identity.Tokens.sign;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key refresh, TLS trust, discovery and service-account pass-through against a real OIDC server. */
class TokenAuthenticatorTest {

    private static final String AUDIENCE = "api://clusterconnect";
    private static final String CLUSTER_ISSUER = "https://kubernetes.default.svc.cluster.local";

    @TempDir
    static Path directory;

    private static OidcTestServer server;
    private static RSAKey attackerKey;

    @BeforeAll
    static void startIssuer() throws Exception {
        server = new OidcTestServer(directory);
        attackerKey = new RSAKeyGenerator(2048).keyID("attacker").generate();
    }

    @AfterAll
    static void stopIssuer() {
        server.close();
    }

    @Test
    void rotatedKeyIsAcceptedAfterOneJwksRefresh() {
        TokenAuthenticator authenticator = authenticatorFor("rotating", false);
        assertAuthenticated(authenticator, server.issue("rotating", AUDIENCE, alice()));
        int before = server.requestCount();

        server.rotate("rotating");
        assertAuthenticated(authenticator, server.issue("rotating", AUDIENCE, alice()));

        assertEquals(before + 1, server.requestCount(), "exactly one JWKS fetch for the new kid");
    }

    @Test
    void floodOfUnknownKidsFetchesTheJwksAtMostOnceAndLocksNoOneOut() throws Exception {
        TokenAuthenticator authenticator = authenticatorFor("flooded", false);
        String valid = server.issue("flooded", AUDIENCE, alice());
        assertAuthenticated(authenticator, valid);
        int before = server.requestCount();
        String issuer = server.issuer("flooded");

        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<Authentication>> forged = new ArrayList<>();
        List<Future<Authentication>> genuine = new ArrayList<>();
        try {
            for (int i = 0; i < 1000; i++) {
                String kid = "made-up-" + i;
                forged.add(pool.submit(() -> authenticator.authenticate(sign(
                        attackerKey,
                        header(JWSAlgorithm.RS256, attackerKey).keyID(kid).build(),
                        claims(issuer, AUDIENCE).build()))));
                if (i % 10 == 0) {
                    genuine.add(pool.submit(() -> authenticator.authenticate(valid)));
                }
            }
            for (Future<Authentication> result : forged) {
                assertRefused(result.get(), 401, RefusalReason.UNKNOWN_KEY, null);
            }
            for (Future<Authentication> result : genuine) {
                assertInstanceOf(Authentication.Authenticated.class, result.get());
            }
        } finally {
            pool.shutdownNow();
        }

        int fetches = server.requestCount() - before;
        assertTrue(fetches <= 1, "1000 unknown kids caused " + fetches + " JWKS fetches");
    }

    @Test
    void issuerWithUntrustedCertificateIsUnavailableAndNeverQueried() {
        TokenAuthenticator authenticator = TokenAuthenticator.create(AuthenticatorSettings.builder()
                .issuer(IssuerSettings.builder(server.issuer("no-ca"), AUDIENCE)
                        .usernameClaim("preferred_username")
                        .build())
                .build());
        int before = server.requestCount();
        String token = server.issue("no-ca", AUDIENCE, alice());

        assertRefused(authenticator.authenticate(token), 503, RefusalReason.ISSUER_UNAVAILABLE, token);
        assertRefused(authenticator.authenticate(token), 503, RefusalReason.ISSUER_UNAVAILABLE, token);
        assertEquals(before, server.requestCount(), "no HTTP request reached an untrusted server");
    }

    @Test
    void discoveryDocumentNamingAnotherIssuerIsNotTrusted() {
        // Configured with a trailing slash the server's discovery document does not have.
        String configured = server.issuer("strict") + "/";
        TokenAuthenticator authenticator = TokenAuthenticator.create(AuthenticatorSettings.builder()
                .issuer(IssuerSettings.builder(configured, AUDIENCE)
                        .usernameClaim("preferred_username")
                        .caFile(server.caFile())
                        .build())
                .build());
        String token =
                sign(server.signingKey("strict"), claims(configured, AUDIENCE).build());

        assertRefused(authenticator.authenticate(token), 503, RefusalReason.ISSUER_UNAVAILABLE, token);
    }

    @Test
    void serviceAccountTokenPassesThroughWhenEnabled() {
        TokenAuthenticator authenticator = authenticatorFor("cluster-a", true);
        String serviceAccountJwt = sign(
                attackerKey,
                claims(CLUSTER_ISSUER, "https://kubernetes.default.svc")
                        .subject("system:serviceaccount:default:builder")
                        .build());

        assertInstanceOf(Authentication.PassThrough.class, authenticator.authenticate(serviceAccountJwt));
        assertInstanceOf(Authentication.PassThrough.class, authenticator.authenticate("abcdef.0123456789abcdef"));
    }

    @Test
    void serviceAccountTokenIsRefusedByDefault() {
        TokenAuthenticator authenticator = authenticatorFor("cluster-b", false);
        String serviceAccountJwt = sign(
                attackerKey,
                claims(CLUSTER_ISSUER, "https://kubernetes.default.svc").build());

        assertRefused(
                authenticator.authenticate(serviceAccountJwt), 401, RefusalReason.UNTRUSTED_ISSUER, serviceAccountJwt);
        assertRefused(
                authenticator.authenticate("abcdef.0123456789abcdef"),
                401,
                RefusalReason.MALFORMED,
                "abcdef.0123456789abcdef");
    }

    @Test
    void passThroughNeverCoversATokenClaimingATrustedIssuer() {
        TokenAuthenticator authenticator = authenticatorFor("cluster-c", true);
        String forged = sign(
                attackerKey,
                header(JWSAlgorithm.RS256, server.signingKey("cluster-c")).build(),
                claims(server.issuer("cluster-c"), AUDIENCE).build());
        String oversized = "a".repeat(AuthenticatorSettings.DEFAULT_MAX_TOKEN_BYTES + 1);

        assertRefused(authenticator.authenticate(forged), 401, RefusalReason.BAD_SIGNATURE, forged);
        assertRefused(authenticator.authenticate(oversized), 401, RefusalReason.TOO_LARGE, oversized);
        assertRefused(authenticator.authenticate("two words"), 401, RefusalReason.MALFORMED, "two words");
    }

    @Test
    void fromPropertiesBuildsAWorkingAuthenticator() {
        String prefix = "agent.oidc";
        TokenAuthenticator authenticator = TokenAuthenticator.fromProperties(
                Map.of(
                        prefix + ".issuers.mock.url",
                        server.issuer("props"),
                        prefix + ".issuers.mock.audience",
                        AUDIENCE,
                        prefix + ".issuers.mock.username-claim",
                        "preferred_username",
                        prefix + ".issuers.mock.username-prefix",
                        "oidc:",
                        prefix + ".issuers.mock.ca-file",
                        server.caFile().toString()),
                prefix);

        var result = assertAuthenticated(authenticator, server.issue("props", AUDIENCE, alice()));
        assertEquals("oidc:alice", result.identity().user());
    }

    @Test
    void bearerTokenIsReadFromTheAuthorizationHeader() {
        assertEquals(Optional.of("abc.def.ghi"), TokenAuthenticator.bearerToken("Bearer abc.def.ghi"));
        assertEquals(Optional.of("abc"), TokenAuthenticator.bearerToken("bearer abc"));
        assertEquals(Optional.empty(), TokenAuthenticator.bearerToken("Basic YWxpY2U6cGFzcw=="));
        assertEquals(Optional.empty(), TokenAuthenticator.bearerToken("Bearer "));
        assertEquals(Optional.empty(), TokenAuthenticator.bearerToken(null));
    }

    private static TokenAuthenticator authenticatorFor(String issuerId, boolean serviceAccountTokens) {
        return TokenAuthenticator.create(AuthenticatorSettings.builder()
                .issuer(IssuerSettings.builder(server.issuer(issuerId), AUDIENCE)
                        .usernameClaim("preferred_username")
                        .caFile(server.caFile())
                        .build())
                .serviceAccountTokens(serviceAccountTokens)
                .build());
    }

    private static Map<String, Object> alice() {
        return Map.of("preferred_username", "alice");
    }

    private static Authentication.Authenticated assertAuthenticated(TokenAuthenticator authenticator, String token) {
        return assertInstanceOf(Authentication.Authenticated.class, authenticator.authenticate(token));
    }
}
