package dev.clusterconnect.routes.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/**
 * The short-lived token an agent proves its identity with: an ES256 JWT signed by the agent's own
 * private key, {@code iss = sub = agent:<clusterId>}, audience {@link #AUDIENCE}, key id in the
 * header. The relay verifies it against the public keys it stored at enrolment
 * (docs/agent-identity.md).
 */
public final class AgentJwt {

    /** The audience every agent token names, so it cannot be replayed to another service. */
    public static final String AUDIENCE = "clusterconnect-relay";
    /** Prefix of the issuer and subject: {@code agent:<clusterId>}. */
    public static final String SUBJECT_PREFIX = "agent:";
    /** The only signature algorithm agents use and the relay accepts. */
    public static final JWSAlgorithm ALGORITHM = JWSAlgorithm.ES256;
    /** Lifetime of a minted token: long enough for a slow handshake, short enough to be useless if copied. */
    public static final Duration LIFETIME = Duration.ofMinutes(5);

    private AgentJwt() {}

    /** The subject (and issuer) naming the agent of {@code clusterId}. */
    public static String subject(String clusterId) {
        return SUBJECT_PREFIX + clusterId;
    }

    /**
     * Mints a fresh token.
     *
     * @param key the agent's private EC P-256 key, with a key id
     * @param now issue time
     * @param lifetime from {@code now} to expiry
     */
    public static String mint(ECKey key, String clusterId, Instant now, Duration lifetime) {
        if (!key.isPrivate() || key.getKeyID() == null) {
            throw new IllegalArgumentException("an agent token needs the private key and its key id");
        }
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(subject(clusterId))
                .subject(subject(clusterId))
                .audience(AUDIENCE)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)))
                .jwtID(UUID.randomUUID().toString())
                .build();
        JWSHeader header = new JWSHeader.Builder(ALGORITHM)
                .keyID(key.getKeyID())
                .type(JOSEObjectType.JWT)
                .build();
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(new ECDSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign the agent token", e);
        }
        return jwt.serialize();
    }
}
