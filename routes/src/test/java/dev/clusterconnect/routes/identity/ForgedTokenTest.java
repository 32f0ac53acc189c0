package dev.clusterconnect.routes.identity;

import static dev.clusterconnect.routes.identity.Tokens.assertRefused;
import static dev.clusterconnect.routes.identity.Tokens.base64Url;
import static dev.clusterconnect.routes.identity.Tokens.claims;
import static dev.clusterconnect.routes.identity.Tokens.header;
import static dev.clusterconnect.routes.identity.Tokens.parts;
import static dev.clusterconnect.routes.identity.Tokens.sign;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The attack suite: forged, tampered and otherwise invalid tokens against two trusted issuers on a
 * real OIDC server. None may be accepted; each must be refused with the right status and reason,
 * with a message that quotes nothing of the token.
 */
class ForgedTokenTest {

    private static final String AUDIENCE = "api://clusterconnect";
    private static final String PARTNER_AUDIENCE = "api://partner";

    @TempDir
    static Path directory;

    private static OidcTestServer server;
    private static String corp;
    private static String partner;
    private static RSAKey attackerKey;

    private TokenAuthenticator authenticator;

    @BeforeAll
    static void startIssuer() throws Exception {
        server = new OidcTestServer(directory);
        corp = server.issuer("corp");
        partner = server.issuer("partner");
        attackerKey = new RSAKeyGenerator(2048).keyID("attacker").generate();
    }

    @AfterAll
    static void stopIssuer() {
        server.close();
    }

    @BeforeEach
    void freshAuthenticator() {
        authenticator = TokenAuthenticator.create(settings(false));
    }

    private static AuthenticatorSettings settings(boolean allowSystemIdentities) {
        return AuthenticatorSettings.builder()
                .issuer(IssuerSettings.builder(corp, AUDIENCE)
                        .usernameClaim("preferred_username")
                        .groupsClaim("groups")
                        .caFile(server.caFile())
                        .build())
                .issuer(IssuerSettings.builder(partner, PARTNER_AUDIENCE)
                        .usernameClaim("preferred_username")
                        .usernamePrefix("partner:")
                        .groupsClaim("groups")
                        .groupsPrefix("partner:")
                        .algorithms(Set.of(JWSAlgorithm.RS256))
                        .caFile(server.caFile())
                        .build())
                .allowSystemIdentities(allowSystemIdentities)
                .build();
    }

    /** A named forged token, built lazily once the issuer runs. */
    record Attack(String name, Supplier<String> token, int status, RefusalReason reason) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Attack> attacks() {
        return Stream.of(
                        keyAttacks(),
                        issuerAttacks(),
                        audienceAndTimeAttacks(),
                        tamperingAndSyntaxAttacks(),
                        identityMappingAttacks())
                .flatMap(attacks -> attacks);
    }

    private static Stream<Attack> keyAttacks() {
        return Stream.of(
                new Attack(
                        "signed with another key under the issuer's kid",
                        () -> sign(
                                attackerKey,
                                header(JWSAlgorithm.RS256, corpKey()).build(),
                                valid()),
                        401,
                        RefusalReason.BAD_SIGNATURE),
                new Attack(
                        "alg none", () -> new PlainJWT(valid()).serialize(), 401, RefusalReason.ALGORITHM_NOT_ALLOWED),
                new Attack(
                        "HS256 keyed with the issuer's public key (RS/HS confusion)",
                        ForgedTokenTest::hmacConfusion,
                        401,
                        RefusalReason.ALGORITHM_NOT_ALLOWED),
                new Attack(
                        "PS256 where the issuer allows only RS256",
                        () -> sign(
                                partnerKey(),
                                header(JWSAlgorithm.PS256, partnerKey()).build(),
                                claims(partner, PARTNER_AUDIENCE).build()),
                        401,
                        RefusalReason.ALGORITHM_NOT_ALLOWED),
                new Attack(
                        "alg smuggling a header line",
                        () -> base64Url("{\"alg\":\"RS256\\r\\nX-Injected: 1\"," + "\"kid\":\""
                                        + corpKey().getKeyID() + "\"}")
                                + "." + parts(corpToken())[1] + "."
                                + parts(corpToken())[2],
                        401,
                        RefusalReason.ALGORITHM_NOT_ALLOWED),
                new Attack(
                        "ES256 with an attacker EC key under the issuer's kid",
                        ForgedTokenTest::ecUnderRsaKid,
                        401,
                        RefusalReason.UNKNOWN_KEY),
                new Attack("unknown kid", () -> sign(attackerKey, valid()), 401, RefusalReason.UNKNOWN_KEY),
                new Attack(
                        "attacker key embedded as jwk header",
                        () -> sign(
                                attackerKey,
                                header(JWSAlgorithm.RS256, corpKey())
                                        .jwk(attackerKey.toPublicJWK())
                                        .build(),
                                valid()),
                        401,
                        RefusalReason.BAD_SIGNATURE),
                new Attack(
                        "jku header pointing at the attacker's key set",
                        () -> sign(
                                attackerKey,
                                header(JWSAlgorithm.RS256, attackerKey)
                                        .jwkURL(URI.create("https://attacker.example/jwks"))
                                        .build(),
                                valid()),
                        401,
                        RefusalReason.UNKNOWN_KEY),
                new Attack(
                        "unknown critical header parameter",
                        () -> sign(
                                corpKey(),
                                header(JWSAlgorithm.RS256, corpKey())
                                        .customParam("x-must", true)
                                        .criticalParams(Set.of("x-must"))
                                        .build(),
                                valid()),
                        401,
                        RefusalReason.BAD_SIGNATURE));
    }

    private static Stream<Attack> issuerAttacks() {
        return Stream.of(
                new Attack(
                        "iss with a trailing slash",
                        () -> sign(corpKey(), claims(corp + "/", AUDIENCE).build()),
                        401,
                        RefusalReason.UNTRUSTED_ISSUER),
                new Attack(
                        "no iss",
                        () -> sign(
                                corpKey(),
                                new JWTClaimsSet.Builder(valid()).issuer(null).build()),
                        401,
                        RefusalReason.UNTRUSTED_ISSUER),
                new Attack(
                        "real token from an issuer that is not configured",
                        () -> server.issue("stranger", AUDIENCE, Map.of("preferred_username", "alice")),
                        401,
                        RefusalReason.UNTRUSTED_ISSUER),
                new Attack(
                        "signed by issuer A, claiming issuer B, with B's kid",
                        () -> sign(
                                corpKey(),
                                header(JWSAlgorithm.RS256, partnerKey()).build(),
                                claims(partner, PARTNER_AUDIENCE).build()),
                        401,
                        RefusalReason.BAD_SIGNATURE),
                new Attack(
                        "signed by issuer A, claiming issuer B, with A's kid",
                        () -> sign(corpKey(), claims(partner, PARTNER_AUDIENCE).build()),
                        401,
                        RefusalReason.UNKNOWN_KEY));
    }

    private static Stream<Attack> audienceAndTimeAttacks() {
        return Stream.of(
                new Attack(
                        "wrong aud",
                        () -> server.issue("corp", "api://someone-else", Map.of("preferred_username", "alice")),
                        401,
                        RefusalReason.WRONG_AUDIENCE),
                new Attack(
                        "aud of the other trusted issuer",
                        () -> server.issue("corp", PARTNER_AUDIENCE, Map.of("preferred_username", "alice")),
                        401,
                        RefusalReason.WRONG_AUDIENCE),
                new Attack(
                        "no aud",
                        () -> sign(
                                corpKey(),
                                new JWTClaimsSet.Builder(valid())
                                        .audience((String) null)
                                        .build()),
                        401,
                        RefusalReason.MISSING_CLAIM),
                new Attack(
                        "expired an hour ago",
                        () -> server.issue("corp", "subject-1", AUDIENCE, Map.of("preferred_username", "alice"), -3600),
                        401,
                        RefusalReason.EXPIRED),
                new Attack(
                        "expired just beyond the 60 s skew",
                        () -> server.issue("corp", "subject-1", AUDIENCE, Map.of("preferred_username", "alice"), -90),
                        401,
                        RefusalReason.EXPIRED),
                new Attack(
                        "no exp",
                        () -> sign(
                                corpKey(),
                                new JWTClaimsSet.Builder(valid())
                                        .expirationTime(null)
                                        .build()),
                        401,
                        RefusalReason.MISSING_CLAIM),
                new Attack(
                        "nbf ten minutes ahead",
                        () -> sign(
                                corpKey(),
                                new JWTClaimsSet.Builder(valid())
                                        .notBeforeTime(inSeconds(600))
                                        .build()),
                        401,
                        RefusalReason.NOT_YET_VALID),
                new Attack(
                        "iat ten minutes ahead",
                        () -> sign(
                                corpKey(),
                                new JWTClaimsSet.Builder(valid())
                                        .issueTime(inSeconds(600))
                                        .build()),
                        401,
                        RefusalReason.NOT_YET_VALID));
    }

    private static Stream<Attack> tamperingAndSyntaxAttacks() {
        return Stream.of(
                new Attack(
                        "payload tampered (user changed), signature kept",
                        () -> withPayload(
                                corpToken(),
                                new JWTClaimsSet.Builder(valid())
                                        .claim("preferred_username", "admin")
                                        .build()),
                        401,
                        RefusalReason.BAD_SIGNATURE),
                new Attack(
                        "payload tampered (exp extended), signature kept",
                        () -> withPayload(
                                corpToken(),
                                new JWTClaimsSet.Builder(valid())
                                        .expirationTime(inSeconds(86_400))
                                        .build()),
                        401,
                        RefusalReason.BAD_SIGNATURE),
                new Attack(
                        "header tampered (parameter added), signature kept",
                        ForgedTokenTest::tamperedHeader,
                        401,
                        RefusalReason.BAD_SIGNATURE),
                new Attack(
                        "signature truncated",
                        () -> {
                            String token = corpToken();
                            return token.substring(0, token.length() - 20);
                        },
                        401,
                        RefusalReason.BAD_SIGNATURE),
                new Attack(
                        "signature stripped",
                        () -> {
                            String[] parts = parts(corpToken());
                            return parts[0] + "." + parts[1] + ".";
                        },
                        401,
                        RefusalReason.MALFORMED),
                new Attack(
                        "two parts only",
                        () -> {
                            String[] parts = parts(corpToken());
                            return parts[0] + "." + parts[1];
                        },
                        401,
                        RefusalReason.MALFORMED),
                new Attack("garbage", () -> "not-a-token-at-all", 401, RefusalReason.MALFORMED),
                new Attack(
                        "three parts of base64 junk",
                        () -> "Zm9vYmFy.YmF6cXV4.cXV1eGNvcmdl",
                        401,
                        RefusalReason.MALFORMED),
                new Attack(
                        "payload is not JSON",
                        () -> parts(corpToken())[0] + "." + base64Url("hello") + "." + parts(corpToken())[2],
                        401,
                        RefusalReason.MALFORMED),
                new Attack("empty", () -> "", 401, RefusalReason.MALFORMED),
                new Attack(
                        "CR LF inside the token",
                        () -> corpToken() + "\r\nImpersonate-User: admin",
                        401,
                        RefusalReason.MALFORMED),
                new Attack(
                        "oversized (20 KiB)",
                        () -> sign(
                                corpKey(),
                                new JWTClaimsSet.Builder(valid())
                                        .claim("padding", "x".repeat(20 * 1024))
                                        .build()),
                        401,
                        RefusalReason.TOO_LARGE),
                new Attack("JWE instead of JWS", ForgedTokenTest::encrypted, 401, RefusalReason.UNSUPPORTED_TOKEN),
                new Attack(
                        "typ logout+jwt",
                        () -> sign(
                                corpKey(),
                                header(JWSAlgorithm.RS256, corpKey())
                                        .type(new JOSEObjectType("logout+jwt"))
                                        .build(),
                                valid()),
                        401,
                        RefusalReason.UNSUPPORTED_TOKEN));
    }

    private static Stream<Attack> identityMappingAttacks() {
        return Stream.of(
                new Attack(
                        "no username claim",
                        () -> server.issue("corp", AUDIENCE, Map.of("groups", List.of("dev"))),
                        401,
                        RefusalReason.MISSING_CLAIM),
                new Attack(
                        "username is a number",
                        () -> server.issue("corp", AUDIENCE, Map.of("preferred_username", 42)),
                        401,
                        RefusalReason.INVALID_CLAIM),
                new Attack(
                        "username with CR LF and a smuggled header",
                        () -> server.issue(
                                "corp",
                                AUDIENCE,
                                Map.of("preferred_username", "alice\r\nImpersonate-Group: system:masters")),
                        403,
                        RefusalReason.UNSENDABLE_CLAIM),
                new Attack(
                        "username with an unpaired surrogate (JSON escape \\ud800)",
                        ForgedTokenTest::unpairedSurrogateUsername,
                        403,
                        RefusalReason.UNSENDABLE_CLAIM),
                new Attack(
                        "username system:admin",
                        () -> server.issue("corp", AUDIENCE, Map.of("preferred_username", "system:admin")),
                        403,
                        RefusalReason.RESERVED_IDENTITY),
                new Attack(
                        "username system:serviceaccount:kube-system:default",
                        () -> server.issue(
                                "corp",
                                AUDIENCE,
                                Map.of("preferred_username", "system:serviceaccount:kube-system:default")),
                        403,
                        RefusalReason.RESERVED_IDENTITY),
                new Attack(
                        "group system:masters",
                        () -> server.issue(
                                "corp",
                                AUDIENCE,
                                Map.of("preferred_username", "alice", "groups", List.of("dev", "system:masters"))),
                        403,
                        RefusalReason.RESERVED_IDENTITY),
                new Attack(
                        "Entra group overage (_claim_names)",
                        () -> server.issue(
                                "corp",
                                AUDIENCE,
                                Map.of(
                                        "preferred_username", "alice",
                                        "_claim_names", Map.of("groups", "src1"),
                                        "_claim_sources",
                                                Map.of("src1", Map.of("endpoint", "https://graph.windows.net/x")))),
                        401,
                        RefusalReason.GROUP_OVERAGE),
                new Attack(
                        "Entra group overage (hasgroups)",
                        () -> server.issue("corp", AUDIENCE, Map.of("preferred_username", "alice", "hasgroups", true)),
                        401,
                        RefusalReason.GROUP_OVERAGE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void forgedTokenIsRefused(Attack attack) {
        String token = attack.token().get();

        assertRefused(authenticator.authenticate(token), attack.status(), attack.reason(), token);
    }

    @Test
    void theSuiteCoversAtLeastTwentyFiveAttacks() {
        assertTrue(attacks().count() >= 25, "attack count");
    }

    @Test
    void validTokenFromTheSameIssuerIsAcceptedAsAControl() {
        String token = server.issue("corp", AUDIENCE, Map.of("preferred_username", "alice", "groups", List.of("dev")));

        var result = assertInstanceOf(Authentication.Authenticated.class, authenticator.authenticate(token));
        assertEquals(new KubeIdentity("alice", List.of("dev"), null, Map.of()), result.identity());
        assertEquals(corp, result.issuer());
        assertEquals("subject-1", result.subject());
    }

    @Test
    void tokenExpiredWithinTheSkewIsAccepted() {
        String token = server.issue("corp", "subject-1", AUDIENCE, Map.of("preferred_username", "alice"), -20);

        assertInstanceOf(Authentication.Authenticated.class, authenticator.authenticate(token));
    }

    @Test
    void systemIdentitiesAreAcceptedWhenExplicitlyAllowed() {
        TokenAuthenticator permissive = TokenAuthenticator.create(settings(true));
        String token = server.issue(
                "corp", AUDIENCE, Map.of("preferred_username", "system:admin", "groups", List.of("system:masters")));

        var result = assertInstanceOf(Authentication.Authenticated.class, permissive.authenticate(token));
        assertEquals("system:admin", result.identity().user());
        assertEquals(List.of("system:masters"), result.identity().groups());
    }

    @Test
    void prefixesMakeSystemNamesSafe() {
        String token = sign(
                partnerKey(),
                new JWTClaimsSet.Builder(claims(partner, PARTNER_AUDIENCE).build())
                        .claim("preferred_username", "system:admin")
                        .claim("groups", List.of("system:masters"))
                        .build());

        var result = assertInstanceOf(Authentication.Authenticated.class, authenticator.authenticate(token));
        assertEquals("partner:system:admin", result.identity().user());
        assertEquals(List.of("partner:system:masters"), result.identity().groups());
    }

    private static RSAKey corpKey() {
        return server.signingKey("corp");
    }

    private static RSAKey partnerKey() {
        return server.signingKey("partner");
    }

    private static JWTClaimsSet valid() {
        return claims(corp, AUDIENCE).build();
    }

    private static String corpToken() {
        return sign(corpKey(), valid());
    }

    private static Date inSeconds(long seconds) {
        return Date.from(Instant.now().plusSeconds(seconds));
    }

    private static String withPayload(String token, JWTClaimsSet payload) {
        String[] parts = parts(token);
        return parts[0] + "." + base64Url(payload.toString()) + "." + parts[2];
    }

    /**
     * A lone surrogate cannot be serialized from a Java string (it would become '?'), so the
     * payload is written as JSON text with the escape in it and signed as it is.
     */
    private static String unpairedSurrogateUsername() {
        String json = claims(corp, AUDIENCE)
                .claim("preferred_username", "alice-here")
                .build()
                .toString()
                .replace("alice-here", "alice\\ud800");
        try {
            JWSObject jws = new JWSObject(header(JWSAlgorithm.RS256, corpKey()).build(), new Payload(json));
            jws.sign(new RSASSASigner(corpKey()));
            return jws.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String tamperedHeader() {
        String[] parts = parts(corpToken());
        String header =
                base64Url("{\"alg\":\"RS256\",\"kid\":\"" + corpKey().getKeyID() + "\",\"typ\":\"JWT\",\"x\":1}");
        return header + "." + parts[1] + "." + parts[2];
    }

    private static String hmacConfusion() {
        try {
            // The classic attack: the verifier's RSA public key, as bytes, used as the HMAC secret.
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.HS256)
                            .keyID(corpKey().getKeyID())
                            .type(JOSEObjectType.JWT)
                            .build(),
                    valid());
            jwt.sign(new MACSigner(corpKey().toRSAPublicKey().getEncoded()));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String ecUnderRsaKid() {
        try {
            ECKey ec = new ECKeyGenerator(Curve.P_256).generate();
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.ES256)
                            .keyID(corpKey().getKeyID())
                            .type(JOSEObjectType.JWT)
                            .build(),
                    valid());
            jwt.sign(new ECDSASigner(ec));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encrypted() {
        try {
            EncryptedJWT jwt = new EncryptedJWT(
                    new JWEHeader.Builder(JWEAlgorithm.RSA_OAEP_256, EncryptionMethod.A256GCM)
                            .keyID(corpKey().getKeyID())
                            .build(),
                    valid());
            jwt.encrypt(new RSAEncrypter(corpKey().toRSAPublicKey()));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
