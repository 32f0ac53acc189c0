package dev.clusterconnect.routes.status;

/**
 * Ends an exchange with a Kubernetes {@code Status} response. Thrown anywhere in a route; the
 * consumer that received the request turns it into the reply.
 */
public class KubeStatusException extends RuntimeException {

    private final int code;
    private final String reason;

    /** @param message shown to the user and logged: never put a secret in it */
    public KubeStatusException(int code, String message) {
        this(code, KubeStatus.reasonFor(code), message);
    }

    public KubeStatusException(int code, String reason, String message) {
        super(message, null, false, false);
        this.code = code;
        this.reason = reason;
    }

    public int code() {
        return code;
    }

    public String reason() {
        return reason;
    }

    public byte[] body() {
        return KubeStatus.failure(code, reason, getMessage());
    }
}
