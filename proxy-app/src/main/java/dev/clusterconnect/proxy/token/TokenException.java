package dev.clusterconnect.proxy.token;

/**
 * No token could be obtained. The message says why in terms the user can act on and never
 * contains a token or other secret.
 */
public class TokenException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message what went wrong, free of secrets */
    public TokenException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong, free of secrets
     * @param cause   the underlying failure (an I/O error, not a response body)
     */
    public TokenException(String message, Throwable cause) {
        super(message, cause);
    }
}
