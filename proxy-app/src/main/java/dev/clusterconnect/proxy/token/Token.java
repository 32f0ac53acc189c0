package dev.clusterconnect.proxy.token;

import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import java.util.Optional;

/**
 * A bearer token and, when known, when it expires.
 *
 * @param value     the token itself; {@link #toString()} never shows it
 * @param expiresAt when it stops being valid, or {@code null} if unknown
 */
public record Token(String value, Instant expiresAt) {

    /** Checks the token is present. */
    public Token {
        Objects.requireNonNull(value, "value");
        if (value.isBlank()) {
            throw new IllegalArgumentException("token must not be blank");
        }
    }

    /**
     * A token whose expiry is read from its JWT {@code exp} claim, without verifying the
     * signature (the server does that; the client only needs to know when to refresh). Opaque
     * tokens get an unknown expiry.
     *
     * @param value the token
     * @return the token
     */
    public static Token of(String value) {
        return new Token(value, jwtExpiry(value).orElse(null));
    }

    /**
     * Like {@link #of(String)}, but an opaque token or a JWT without {@code exp} expires at
     * {@code fallback} (e.g. computed from an OAuth {@code expires_in}).
     */
    public static Token of(String value, Instant fallback) {
        return new Token(value, jwtExpiry(value).orElse(fallback));
    }

    /** When the token expires, if known. */
    public Optional<Instant> expiry() {
        return Optional.ofNullable(expiresAt);
    }

    /** Whether the token is known to have expired at {@code now}. */
    public boolean isExpiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    @Override
    public String toString() {
        return "Token[expiresAt=" + expiresAt + ", value=<redacted>]";
    }

    private static Optional<Instant> jwtExpiry(String value) {
        if (value.chars().filter(c -> c == '.').count() < 2) {
            return Optional.empty();
        }
        try {
            JWT jwt = JWTParser.parse(value.trim());
            // an encrypted JWT has no readable claims until decrypted, which only the server can do
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Date exp = claims == null ? null : claims.getExpirationTime();
            return Optional.ofNullable(exp).map(Date::toInstant);
        } catch (ParseException e) {
            // not a JWT after all: the expiry is simply unknown
            return Optional.empty();
        }
    }
}
