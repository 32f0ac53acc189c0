package dev.clusterconnect.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.clusterconnect.relay.AgentJwtVerifier.Result;
import dev.clusterconnect.relay.store.AgentKey;
import dev.clusterconnect.routes.identity.AgentJwt;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Minting ({@link AgentJwt}) and verification ({@link AgentJwtVerifier}) of agent tokens, without a relay. */
class AgentJwtVerifierTest {

    private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");
    private static final String CLUSTER = "clusterA";

    private final Map<String, AgentKey> stored = new HashMap<>();
    private final AgentJwtVerifier verifier = new AgentJwtVerifier(
            (cluster, kid) -> Optional.ofNullable(stored.get(cluster + "/" + kid)), Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void aFreshTokenOfAnEnrolledKeyVerifiesForItsCluster() throws Exception {
        ECKey key = enrol(CLUSTER);

        Result result = verifier.verify(AgentJwt.mint(key, CLUSTER, NOW, AgentJwt.LIFETIME), CLUSTER);

        assertThat(result).isEqualTo(new Result.Verified(CLUSTER, key.getKeyID()));
    }

    @Test
    void mintedTokensCarryTheAgreedClaims() throws Exception {
        ECKey key = enrol(CLUSTER);

        SignedJWT jwt = SignedJWT.parse(AgentJwt.mint(key, CLUSTER, NOW, AgentJwt.LIFETIME));

        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(jwt.getHeader().getKeyID()).isEqualTo(key.getKeyID());
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertThat(claims.getIssuer()).isEqualTo("agent:" + CLUSTER).isEqualTo(claims.getSubject());
        assertThat(claims.getAudience()).containsExactly("clusterconnect-relay");
        assertThat(claims.getExpirationTime().toInstant()).isEqualTo(NOW.plus(Duration.ofMinutes(5)));
        assertThat(claims.getJWTID()).isNotBlank();
    }

    @Test
    void aValidTokenOfClusterAUsedForClusterBIsForbidden() throws Exception {
        ECKey key = enrol(CLUSTER);
        enrol("clusterB");

        Result result = verifier.verify(AgentJwt.mint(key, CLUSTER, NOW, AgentJwt.LIFETIME), "clusterB");

        assertThat(result)
                .isInstanceOfSatisfying(
                        Result.Refused.class, r -> assertThat(r.status()).isEqualTo(403));
    }

    @Test
    void aTokenClaimingAnotherClusterWithOurKeyIsUnknown() throws Exception {
        ECKey key = enrol(CLUSTER);
        enrol("clusterB");

        Result result = verifier.verify(AgentJwt.mint(key, "clusterB", NOW, AgentJwt.LIFETIME), "clusterB");

        assertRefused(result, 401, "not enrolled");
    }

    @Test
    void aRevokedKeyIsRefused() throws Exception {
        ECKey key = enrol(CLUSTER);
        AgentKey active = stored.get(CLUSTER + "/" + key.getKeyID());
        stored.put(
                CLUSTER + "/" + key.getKeyID(),
                new AgentKey(CLUSTER, key.getKeyID(), active.jwk(), active.createdAt(), NOW));

        assertRefused(verifier.verify(AgentJwt.mint(key, CLUSTER, NOW, AgentJwt.LIFETIME), CLUSTER), 401, "revoked");
    }

    @Test
    void aTokenSignedByAnotherKeyWithTheSameKidIsRefused() throws Exception {
        ECKey key = enrol(CLUSTER);
        ECKey impostor = new ECKeyGenerator(Curve.P_256).keyID(key.getKeyID()).generate();

        assertRefused(
                verifier.verify(AgentJwt.mint(impostor, CLUSTER, NOW, AgentJwt.LIFETIME), CLUSTER), 401, "signature");
    }

    @Test
    void aKeyIdTheRelayNeverIssuedIsNotRepeatedInTheRefusal() throws Exception {
        enrol(CLUSTER);
        String forged = "x\n2026-12-07 INFO fake log line " + "A".repeat(300);
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID(forged).generate();

        Result result = verifier.verify(AgentJwt.mint(key, CLUSTER, NOW, AgentJwt.LIFETIME), CLUSTER);

        assertRefused(result, 401, "key (an id this relay never issued) is not enrolled for cluster " + CLUSTER);
        assertThat(((Result.Refused) result).message()).doesNotContain("fake log line");
    }

    @Test
    void anExpiredTokenIsRefusedOnceTheClockSkewIsPast() throws Exception {
        ECKey key = enrol(CLUSTER);
        Instant issued = NOW.minus(AgentJwt.LIFETIME).minusSeconds(30);

        assertThat(verifier.verify(AgentJwt.mint(key, CLUSTER, issued, AgentJwt.LIFETIME), CLUSTER))
                .isInstanceOf(Result.Verified.class);
        assertRefused(
                verifier.verify(AgentJwt.mint(key, CLUSTER, issued.minusSeconds(60), AgentJwt.LIFETIME), CLUSTER),
                401,
                "expired");
    }

    @Test
    void aTokenLivingLongerThanTenMinutesIsRefused() throws Exception {
        ECKey key = enrol(CLUSTER);

        assertRefused(
                verifier.verify(AgentJwt.mint(key, CLUSTER, NOW, Duration.ofMinutes(11)), CLUSTER), 401, "longer than");
    }

    @Test
    void aTokenForAnotherAudienceIsRefused() throws Exception {
        ECKey key = enrol(CLUSTER);
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer("agent:" + CLUSTER)
                .subject("agent:" + CLUSTER)
                .audience("kubernetes")
                .issueTime(Date.from(NOW))
                .expirationTime(Date.from(NOW.plusSeconds(60)))
                .build();
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new ECDSASigner(key));

        assertRefused(verifier.verify(jwt.serialize(), CLUSTER), 401, "audience");
    }

    @Test
    void anHmacTokenIsRefusedBeforeAnyKeyLookup() throws Exception {
        ECKey key = enrol(CLUSTER);
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer("agent:" + CLUSTER)
                .subject("agent:" + CLUSTER)
                .audience(AgentJwt.AUDIENCE)
                .issueTime(Date.from(NOW))
                .expirationTime(Date.from(NOW.plusSeconds(60)))
                .build();
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new MACSigner(new byte[32]));

        assertRefused(verifier.verify(jwt.serialize(), CLUSTER), 401, "ES256");
        assertRefused(verifier.verify("not-a-jwt", CLUSTER), 401, "not a signed JWT");
        assertRefused(verifier.verify(null, CLUSTER), 401, "no agent token");
    }

    private ECKey enrol(String cluster) throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).keyIDFromThumbprint(true).generate();
        stored.put(
                cluster + "/" + key.getKeyID(),
                new AgentKey(cluster, key.getKeyID(), key.toPublicJWK().toJSONString(), NOW, null));
        return key;
    }

    private static void assertRefused(Result result, int status, String messagePart) {
        assertThat(result).isInstanceOfSatisfying(Result.Refused.class, refused -> {
            assertThat(refused.status()).isEqualTo(status);
            assertThat(refused.message()).contains(messagePart);
        });
    }
}
