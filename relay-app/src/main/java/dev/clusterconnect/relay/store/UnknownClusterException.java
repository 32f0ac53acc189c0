package dev.clusterconnect.relay.store;

/** The cluster id names no registered cluster (never registered, or deleted). */
public class UnknownClusterException extends StoreException {

    private static final long serialVersionUID = 1L;

    UnknownClusterException(String message, Throwable cause) {
        super(message, cause);
    }
}
