package dev.clusterconnect.routes.identity;

import com.nimbusds.jwt.JWTClaimsSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns verified claims into a {@link KubeIdentity} following one issuer's {@link ClaimMapping}.
 * Refuses rather than guesses: missing or mistyped claims, values a header cannot carry, group
 * overage and reserved {@code system:} names all end in a {@link ClaimRejection}. Messages name claims, never values.
 */
final class ClaimMapper {

    private static final String RESERVED_PREFIX = "system:";

    private final ClaimMapping mapping;
    private final boolean allowSystemIdentities;

    ClaimMapper(ClaimMapping mapping, boolean allowSystemIdentities) {
        this.mapping = mapping;
        this.allowSystemIdentities = allowSystemIdentities;
    }

    KubeIdentity map(JWTClaimsSet claims) throws ClaimRejection {
        String user = mapping.usernamePrefix() + username(claims);
        List<String> groups = groups(claims);
        String uid = mapping.uidClaim() == null ? null : requiredString(claims, mapping.uidClaim(), "uid");
        Map<String, List<String>> extra = extra(claims);
        if (!allowSystemIdentities) {
            refuseReserved(user, groups);
        }
        return new KubeIdentity(user, groups, uid, extra);
    }

    private String username(JWTClaimsSet claims) throws ClaimRejection {
        String name = requiredString(claims, mapping.usernameClaim(), "username");
        if ((mapping.usernamePrefix() + name).isBlank()) {
            // Only Unicode blanks (U+2003, U+3000...): no one's name, as an empty claim is not.
            throw new ClaimRejection(
                    RefusalReason.MISSING_CLAIM,
                    "claim '" + mapping.usernameClaim() + "' for the username holds only blanks");
        }
        // As kube-apiserver does: an e-mail address only names a user once the issuer has verified it.
        Object verified = claims.getClaim("email_verified");
        if ("email".equals(mapping.usernameClaim())
                && verified != null
                && !Boolean.TRUE.equals(verified)
                && !"true".equals(verified)) {
            throw new ClaimRejection(RefusalReason.UNVERIFIED_EMAIL, "token e-mail address is not verified");
        }
        return name;
    }

    private List<String> groups(JWTClaimsSet claims) throws ClaimRejection {
        String claim = mapping.groupsClaim();
        if (claim == null) {
            return List.of();
        }
        refuseOverage(claims, claim);
        Object value = claims.getClaim(claim);
        Set<String> groups = new LinkedHashSet<>();
        for (Object group : value == null ? List.of() : value instanceof List<?> list ? list : List.of(value)) {
            if (!(group instanceof String text) || text.isEmpty()) {
                throw new ClaimRejection(
                        RefusalReason.INVALID_CLAIM,
                        "claim '" + claim + "' must be a string or a list of non-empty strings");
            }
            groups.add(mapping.groupsPrefix() + headerSafe(text, claim));
        }
        return List.copyOf(groups);
    }

    /**
     * Entra ID leaves groups out when a user has too many (more than 200 in a JWT) and points to
     * Graph instead; mapping that as "no groups" would silently drop permissions or deny bindings.
     */
    private static void refuseOverage(JWTClaimsSet claims, String claim) throws ClaimRejection {
        boolean distributed = claims.getClaim("_claim_names") instanceof Map<?, ?> names && names.containsKey(claim);
        Object hasGroups = claims.getClaim("hasgroups");
        if (distributed || Boolean.TRUE.equals(hasGroups) || "true".equals(hasGroups)) {
            throw new ClaimRejection(
                    RefusalReason.GROUP_OVERAGE,
                    "the issuer left the groups out of the token (group overage); "
                            + "assign fewer groups to the user or restrict the groups emitted for this application");
        }
    }

    private Map<String, List<String>> extra(JWTClaimsSet claims) throws ClaimRejection {
        Map<String, List<String>> extra = new LinkedHashMap<>();
        for (String claim : mapping.extraClaims()) {
            Object value = claims.getClaim(claim);
            List<String> values = new ArrayList<>();
            for (Object item : value == null ? List.of() : value instanceof List<?> list ? list : List.of(value)) {
                if (!(item instanceof String || item instanceof Number || item instanceof Boolean)) {
                    throw new ClaimRejection(
                            RefusalReason.INVALID_CLAIM,
                            "claim '" + claim + "' must be a scalar or a list of scalars to be copied to extra");
                }
                values.add(headerSafe(item.toString(), claim));
            }
            if (!values.isEmpty()) {
                extra.put(claim.toLowerCase(Locale.ROOT), values);
            }
        }
        return extra;
    }

    private static String requiredString(JWTClaimsSet claims, String claim, String role) throws ClaimRejection {
        Object value = claims.getClaim(claim);
        if (value == null || "".equals(value)) {
            throw new ClaimRejection(RefusalReason.MISSING_CLAIM, "token has no '" + claim + "' claim for the " + role);
        }
        if (!(value instanceof String text)) {
            throw new ClaimRejection(
                    RefusalReason.INVALID_CLAIM, "claim '" + claim + "' for the " + role + " must be a string");
        }
        return headerSafe(text, claim);
    }

    /**
     * Values become impersonation header values, sent as their UTF-8 bytes; what those cannot carry
     * faithfully (see {@link HeaderText#flaw(String)}) is refused rather than altered, as a
     * forbidden identity: the token itself is fine, and a 401 would only make kubectl hide this
     * message behind "You must be logged in".
     */
    private static String headerSafe(String value, String claim) throws ClaimRejection {
        String flaw = HeaderText.flaw(value);
        if (flaw != null) {
            throw new ClaimRejection(
                    RefusalReason.UNSENDABLE_CLAIM,
                    "claim '" + claim + "' holds " + flaw + ", which an impersonation header cannot carry");
        }
        return value;
    }

    private static void refuseReserved(String user, List<String> groups) throws ClaimRejection {
        if (isReserved(user)) {
            throw new ClaimRejection(
                    RefusalReason.RESERVED_IDENTITY,
                    "the mapped user name is in the reserved 'system:' space; set a username-prefix");
        }
        if (groups.stream().anyMatch(ClaimMapper::isReserved)) {
            throw new ClaimRejection(
                    RefusalReason.RESERVED_IDENTITY,
                    "a mapped group is in the reserved 'system:' space; set a groups-prefix");
        }
    }

    private static boolean isReserved(String name) {
        return name.regionMatches(true, 0, RESERVED_PREFIX, 0, RESERVED_PREFIX.length());
    }
}
