package dev.clusterconnect.relay.store;

/** The row would duplicate a unique one: a cluster name for the same owner, or a key id. */
public class AlreadyExistsException extends StoreException {

    private static final long serialVersionUID = 1L;

    AlreadyExistsException(String message, Throwable cause) {
        super(message, cause);
    }
}
