package dev.clusterconnect.relay.store;

/** Whom a grant names: one user, or every member of a group (as the OIDC token lists them). */
public enum SubjectKind {
    /** A user name, matched exactly against the caller's user name. */
    USER,
    /** A group name, matched exactly against each of the caller's groups. */
    GROUP
}
