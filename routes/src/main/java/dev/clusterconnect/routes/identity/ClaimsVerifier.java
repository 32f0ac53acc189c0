package dev.clusterconnect.routes.identity;

import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.JWTClaimsSetVerifier;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * Checks {@code iss}, {@code aud}, {@code exp}, {@code nbf} and {@code iat} once the signature has
 * verified. Written here rather than using nimbus' DefaultJWTClaimsVerifier so that each failure
 * carries its own {@link RefusalReason} instead of a message to pattern-match.
 */
final class ClaimsVerifier implements JWTClaimsSetVerifier<SecurityContext> {

    private final String issuer;
    private final String audience;
    private final Duration skew;
    private final Clock clock;

    ClaimsVerifier(String issuer, String audience, Duration skew, Clock clock) {
        this.issuer = issuer;
        this.audience = audience;
        this.skew = skew;
        this.clock = clock;
    }

    @Override
    public void verify(JWTClaimsSet claims, SecurityContext context) throws ClaimRejection {
        if (!issuer.equals(claims.getIssuer())) {
            throw new ClaimRejection(RefusalReason.UNTRUSTED_ISSUER, "token issuer does not match " + issuer);
        }
        List<String> audiences = claims.getAudience();
        if (audiences.isEmpty()) {
            throw new ClaimRejection(RefusalReason.MISSING_CLAIM, "token has no audience (aud)");
        }
        if (!audiences.contains(audience)) {
            throw new ClaimRejection(
                    RefusalReason.WRONG_AUDIENCE,
                    "token audience is " + ClaimText.shown(audiences)
                            + ", expected " + audience + ": the identity provider must add " + audience
                            + " to aud (Keycloak: an Audience mapper on the client; Entra ID: v2 access tokens carry"
                            + " the application id, not api://...; GitHub Actions: request the token for that audience)");
        }
        Instant now = clock.instant();
        Date expiry = claims.getExpirationTime();
        if (expiry == null) {
            throw new ClaimRejection(RefusalReason.MISSING_CLAIM, "token has no expiry (exp)");
        }
        if (now.isAfter(expiry.toInstant().plus(skew))) {
            throw new ClaimRejection(RefusalReason.EXPIRED, "token has expired");
        }
        if (inTheFuture(claims.getNotBeforeTime(), now)) {
            throw new ClaimRejection(RefusalReason.NOT_YET_VALID, "token is not valid yet (nbf)");
        }
        if (inTheFuture(claims.getIssueTime(), now)) {
            throw new ClaimRejection(RefusalReason.NOT_YET_VALID, "token was issued in the future (iat)");
        }
    }

    private boolean inTheFuture(Date time, Instant now) {
        return time != null && now.plus(skew).isBefore(time.toInstant());
    }
}
