package dev.clusterconnect.relay.store;

/** A bootstrap token was refused; {@link #reason()} says why. */
public class BootstrapTokenRejectedException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why a bootstrap token was refused. */
    public enum Reason {
        /** No such token for this cluster (never issued, for another cluster, or purged). */
        UNKNOWN,
        /** The token was consumed before: one agent already enrolled with it. */
        ALREADY_USED,
        /** The token's lifetime ended before it was used. */
        EXPIRED
    }

    private final Reason reason;

    BootstrapTokenRejectedException(String clusterId, Reason reason) {
        super("bootstrap token for cluster " + clusterId + " refused: " + reason);
        this.reason = reason;
    }

    /** @return why the token was refused */
    public Reason reason() {
        return reason;
    }
}
