package dev.clusterconnect.relay.access;

import java.util.List;

/**
 * The 403 a caller gets when no grant lets them reach a cluster. It names the groups the relay saw,
 * because the usual cause is not a missing grant but groups that never arrived the way the grant
 * spells them: a token without a groups claim (Keycloak adds one only with a Group Membership
 * mapper), or Keycloak full group paths ({@code /sre}) where the grant says {@code sre}.
 * Group names passed the claim mapping's header checks, so they are printable; at most
 * {@value #SHOWN_GROUPS} are listed to keep the message within one warning header.
 */
final class ForbiddenMessage {

    static final int SHOWN_GROUPS = 5;

    private ForbiddenMessage() {}

    static String of(String user, List<String> groups, String clusterId) {
        String refusal = "user " + user + " may not reach cluster " + clusterId;
        if (groups.isEmpty()) {
            return refusal + "; the token gave no groups (if a group was granted, the identity provider must put"
                    + " the user's groups in the token: in Keycloak a Group Membership mapper on the client,"
                    + " in Entra ID a groups claim in the token configuration)";
        }
        String listed = String.join(", ", groups.subList(0, Math.min(groups.size(), SHOWN_GROUPS)))
                + (groups.size() > SHOWN_GROUPS ? " and " + (groups.size() - SHOWN_GROUPS) + " more" : "");
        if (groups.stream().anyMatch(ForbiddenMessage::isGroupPath)) {
            return refusal + "; groups " + listed + " are Keycloak full group paths: grant the path as it is,"
                    + " or turn off 'Full group path' in the Group Membership mapper";
        }
        return refusal + "; groups " + listed;
    }

    /** {@code /sre} or, with a groups prefix, {@code keycloak:/sre}. */
    private static boolean isGroupPath(String group) {
        int slash = group.indexOf('/');
        return slash == 0 || (slash > 0 && group.charAt(slash - 1) == ':');
    }
}
