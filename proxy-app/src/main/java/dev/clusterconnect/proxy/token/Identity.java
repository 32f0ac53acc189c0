package dev.clusterconnect.proxy.token;

import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Who a token says the user is: its {@code sub}, {@code preferred_username} and {@code email}
 * claims, read without verifying the signature (only to tell the user who signed in; the server
 * verifies the token itself).
 *
 * @param subject  the {@code sub} claim, or {@code null}
 * @param username the {@code preferred_username} claim, or {@code null}
 * @param email    the {@code email} claim, or {@code null}
 */
public record Identity(String subject, String username, String email) {

    /**
     * The identity in the first of {@code tokens} that is a readable JWT naming anyone; opaque
     * and encrypted tokens are skipped.
     *
     * @param tokens e.g. the ID token, then the access token; {@code null}s are skipped
     */
    public static Optional<Identity> of(String... tokens) {
        for (String token : tokens) {
            Optional<Identity> identity = token == null ? Optional.empty() : read(token);
            if (identity.isPresent()) {
                return identity;
            }
        }
        return Optional.empty();
    }

    /** e.g. {@code alice (alice@example.com, subject 1234)}. */
    public String describe() {
        String name = username != null ? username : email != null ? email : subject;
        List<String> more = new ArrayList<>();
        if (email != null && !email.equals(name)) {
            more.add(email);
        }
        if (subject != null && !subject.equals(name)) {
            more.add("subject " + subject);
        }
        return more.isEmpty() ? name : name + " (" + String.join(", ", more) + ")";
    }

    private static Optional<Identity> read(String token) {
        try {
            JWT jwt = JWTParser.parse(token.trim());
            // an encrypted JWT has no readable claims
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            if (claims == null) {
                return Optional.empty();
            }
            Identity identity = new Identity(
                    blankToNull(claims.getSubject()),
                    blankToNull(claims.getStringClaim("preferred_username")),
                    blankToNull(claims.getStringClaim("email")));
            boolean named = identity.subject != null || identity.username != null || identity.email != null;
            return named ? Optional.of(identity) : Optional.empty();
        } catch (ParseException e) {
            // opaque, or a claim of the wrong type: nothing to tell
            return Optional.empty();
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
