package dev.clusterconnect.relay;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.clusterconnect.relay.store.AgentKey;
import dev.clusterconnect.routes.identity.AgentJwt;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Verifies an agent's token ({@link AgentJwt}) against the public key its cluster enrolled. The
 * key is looked up in the cluster the token claims ({@code sub = agent:<id>}), so a valid token of
 * cluster A used to connect as cluster B is recognised as A's and refused as a cross-cluster
 * attempt (403) rather than as a bad credential.
 */
public final class AgentJwtVerifier {

    /** Longest {@code exp - iat} accepted: agents mint 5-minute tokens, so anything longer was not minted by us. */
    static final Duration MAX_LIFETIME = Duration.ofMinutes(10);
    /** Tolerated clock difference between agent and relay. */
    static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

    private static final int MAX_TOKEN_CHARS = 4096;
    private static final java.util.regex.Pattern ISSUED_ID = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /** The outcome: the verified agent, or why not (message fit for logs and the caller). */
    public sealed interface Result {
        record Verified(String clusterId, String kid) implements Result {}

        record Refused(int status, String message) implements Result {}
    }

    private final BiFunction<String, String, Optional<AgentKey>> keys;
    private final Clock clock;

    /** @param keys (clusterId, kid) -> the stored key, revoked or not */
    public AgentJwtVerifier(BiFunction<String, String, Optional<AgentKey>> keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    /**
     * @param expectedCluster the cluster the agent asks to serve, or null when any enrolled
     *     cluster will do
     */
    public Result verify(String token, String expectedCluster) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_CHARS) {
            return refused("no agent token, or one too large");
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            return refused("the agent token is not a signed JWT");
        }
        JWSHeader header = jwt.getHeader();
        if (!AgentJwt.ALGORITHM.equals(header.getAlgorithm()) || header.getKeyID() == null) {
            return refused("the agent token must be " + AgentJwt.ALGORITHM + " with a key id");
        }
        String subject = claims.getSubject();
        if (subject == null || !subject.startsWith(AgentJwt.SUBJECT_PREFIX) || !subject.equals(claims.getIssuer())) {
            return refused("the agent token must have iss = sub = agent:<cluster id>");
        }
        String clusterId = subject.substring(AgentJwt.SUBJECT_PREFIX.length());
        String kid = header.getKeyID();
        Optional<AgentKey> stored = keys.apply(clusterId, kid);
        if (stored.isEmpty()) {
            return refused("key " + quoted(kid) + " is not enrolled for cluster " + quoted(clusterId));
        }
        if (!stored.get().isActive()) {
            return refused("key " + kid + " of cluster " + clusterId + " was revoked");
        }
        if (!signatureValid(jwt, stored.get())) {
            return refused("the agent token's signature does not verify with key " + kid);
        }
        Optional<String> claimProblem = claimProblem(claims);
        if (claimProblem.isPresent()) {
            return refused(claimProblem.get());
        }
        if (expectedCluster != null && !expectedCluster.equals(clusterId)) {
            return new Result.Refused(
                    403, "the agent of cluster " + clusterId + " may not act for cluster " + expectedCluster);
        }
        return new Result.Verified(clusterId, kid);
    }

    /**
     * An id the caller chose, fit for a message and a log line only when it is shaped like the
     * ids this relay hands out (base64url, as cluster ids and RFC 7638 thumbprints are): anything
     * else may carry line breaks or bulk meant for the log.
     */
    static String quoted(String id) {
        return id != null && ISSUED_ID.matcher(id).matches() ? id : "(an id this relay never issued)";
    }

    private static boolean signatureValid(SignedJWT jwt, AgentKey stored) {
        try {
            ECKey key = ECKey.parse(stored.jwk());
            return Curve.P_256.equals(key.getCurve()) && jwt.verify(new ECDSAVerifier(key));
        } catch (ParseException | JOSEException e) {
            return false;
        }
    }

    private Optional<String> claimProblem(JWTClaimsSet claims) {
        if (claims.getAudience() == null || !claims.getAudience().contains(AgentJwt.AUDIENCE)) {
            return Optional.of("the agent token's audience must be " + AgentJwt.AUDIENCE);
        }
        Date issued = claims.getIssueTime();
        Date expires = claims.getExpirationTime();
        if (issued == null || expires == null) {
            return Optional.of("the agent token needs iat and exp");
        }
        Instant now = clock.instant();
        if (Duration.between(issued.toInstant(), expires.toInstant()).compareTo(MAX_LIFETIME) > 0) {
            return Optional.of("the agent token lives longer than " + MAX_LIFETIME.toMinutes() + " minutes");
        }
        if (!expires.toInstant().plus(CLOCK_SKEW).isAfter(now)) {
            return Optional.of("the agent token has expired");
        }
        if (issued.toInstant().minus(CLOCK_SKEW).isAfter(now)) {
            return Optional.of("the agent token is issued in the future");
        }
        return Optional.empty();
    }

    private static Result refused(String message) {
        return new Result.Refused(401, message);
    }
}
