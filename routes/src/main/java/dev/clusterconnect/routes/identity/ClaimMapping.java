package dev.clusterconnect.routes.identity;

import java.util.List;
import java.util.Objects;

/**
 * Which token claims become which parts of a {@link KubeIdentity}, for one issuer.
 *
 * @param usernameClaim  claim holding the user name (required in every token)
 * @param usernamePrefix prepended to the user name, e.g. {@code oidc:}; empty for none
 * @param groupsClaim    claim holding the groups (a list or a single string), {@code null} for no groups
 * @param groupsPrefix   prepended to every group; empty for none
 * @param uidClaim       claim holding the uid (then required in every token), {@code null} for no uid
 * @param extraClaims    claims copied to {@link KubeIdentity#extra()} when present, keyed by the
 *                       lower-cased claim name (the apiserver lower-cases extra keys anyway)
 */
public record ClaimMapping(
        String usernameClaim,
        String usernamePrefix,
        String groupsClaim,
        String groupsPrefix,
        String uidClaim,
        List<String> extraClaims) {

    public ClaimMapping {
        Objects.requireNonNull(usernameClaim, "usernameClaim");
        if (usernameClaim.isBlank()) {
            throw new IllegalArgumentException("usernameClaim must not be blank");
        }
        usernamePrefix = usernamePrefix == null ? "" : usernamePrefix;
        groupsClaim = blankToNull(groupsClaim);
        groupsPrefix = groupsPrefix == null ? "" : groupsPrefix;
        uidClaim = blankToNull(uidClaim);
        extraClaims = List.copyOf(extraClaims);
        requireSendable("usernamePrefix", usernamePrefix);
        requireSendable("groupsPrefix", groupsPrefix);
        extraClaims.forEach(claim -> requireSendable("extraClaims", claim));
    }

    /** Prefixes and extra keys end up in impersonation headers too: see {@link HeaderText}. */
    private static void requireSendable(String setting, String value) {
        String flaw = HeaderText.characterFlaw(value);
        if (flaw != null) {
            throw new IllegalArgumentException(setting + " holds " + flaw);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
