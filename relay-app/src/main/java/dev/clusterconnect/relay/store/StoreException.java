package dev.clusterconnect.relay.store;

/** A store operation failed: the database is unreachable, or refused the statement. */
public class StoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what was being done, without any secret value
     * @param cause the driver's exception
     */
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /** @param message what went wrong, without any secret value */
    public StoreException(String message) {
        super(message);
    }
}
