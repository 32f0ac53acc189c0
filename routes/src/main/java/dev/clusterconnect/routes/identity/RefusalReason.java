package dev.clusterconnect.routes.identity;

import java.util.Locale;

/**
 * Why a bearer token was refused. Low-cardinality by design: safe as a metrics label.
 * Each reason carries the HTTP status the caller should answer with.
 */
public enum RefusalReason {
    /** Empty, not a JWT, unparseable header or payload, or characters a bearer token cannot hold. */
    MALFORMED(401),
    /** Larger than the configured {@code max-token-bytes}; refused before parsing. */
    TOO_LARGE(401),
    /** A well-formed JOSE object that is not a signed JWT (for example JWE) or has an unexpected {@code typ}. */
    UNSUPPORTED_TOKEN(401),
    /** The {@code iss} claim names no configured issuer (and service-account pass-through is off). */
    UNTRUSTED_ISSUER(401),
    /** {@code alg} is {@code none}, HMAC, or otherwise outside the issuer's allow-list. */
    ALGORITHM_NOT_ALLOWED(401),
    /** No key with the token's {@code kid} in the issuer's JWKS, even after a (rate-limited) refresh. */
    UNKNOWN_KEY(401),
    /** The signature does not verify with the issuer's key. */
    BAD_SIGNATURE(401),
    /** {@code exp} is in the past, beyond the allowed clock skew. */
    EXPIRED(401),
    /** {@code nbf} or {@code iat} is in the future, beyond the allowed clock skew. */
    NOT_YET_VALID(401),
    /** {@code aud} does not contain the configured audience. */
    WRONG_AUDIENCE(401),
    /** A required claim ({@code exp}, {@code aud}, the username claim, the uid claim) is absent. */
    MISSING_CLAIM(401),
    /** A mapped claim has the wrong type. */
    INVALID_CLAIM(401),
    /**
     * A mapped claim holds what an impersonation header cannot carry faithfully: control
     * characters, surrounding blanks or an unpaired surrogate. A valid caller, an identity we
     * cannot send, hence 403 like {@link #RESERVED_IDENTITY}.
     */
    UNSENDABLE_CLAIM(403),
    /** The username is an email address whose {@code email_verified} claim is false. */
    UNVERIFIED_EMAIL(401),
    /** The issuer left the groups out of the token (Entra ID overage); the identity would be incomplete. */
    GROUP_OVERAGE(401),
    /** The mapped user or a group is in the reserved {@code system:} space. */
    RESERVED_IDENTITY(403),
    /** The issuer's discovery document or JWKS could not be fetched. */
    ISSUER_UNAVAILABLE(503);

    private final int httpStatus;

    RefusalReason(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    /** The HTTP status to answer with: 401, 403 or 503. */
    public int httpStatus() {
        return httpStatus;
    }

    /** Lower-case name, for metrics labels and logs, e.g. {@code bad_signature}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
