package dev.clusterconnect.routes.status;

/**
 * Ends an exchange with a Kubernetes {@code Status} response. Thrown anywhere in a route; the
 * consumer that received the request turns it into the reply.
 */
public class KubeStatusException extends RuntimeException {

    private final int code;
    private final String reason;
    private final int retryAfterSeconds;

    /** @param message shown to the user and logged: never put a secret in it */
    public KubeStatusException(int code, String message) {
        this(code, KubeStatus.reasonFor(code), message);
    }

    public KubeStatusException(int code, String reason, String message) {
        this(code, reason, message, 0);
    }

    private KubeStatusException(int code, String reason, String message, int retryAfterSeconds) {
        super(message, null, false, false);
        this.code = code;
        this.reason = reason;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /**
     * A 429: a limit was reached, and the caller may try again after {@code retryAfterSeconds}
     * (client-go and the agent's dialer both wait for it, then retry).
     *
     * @param message names the limit, so whoever hits it knows which one
     */
    public static KubeStatusException tooManyRequests(String message, int retryAfterSeconds) {
        return new KubeStatusException(429, KubeStatus.reasonFor(429), message, retryAfterSeconds);
    }

    /**
     * A 503: this server is overloaded or not ready, and the caller may try again after
     * {@code retryAfterSeconds} (client-go retries a 5xx that carries {@code Retry-After}).
     */
    public static KubeStatusException serviceUnavailable(String message, int retryAfterSeconds) {
        return new KubeStatusException(503, KubeStatus.reasonFor(503), message, retryAfterSeconds);
    }

    /**
     * nginx's 499: the client went away before the answer. For the access and audit lines only:
     * nobody is left to read the Status.
     */
    public static KubeStatusException clientClosedRequest() {
        return new KubeStatusException(499, "ClientClosedRequest", "the client went away before the answer");
    }

    public int code() {
        return code;
    }

    public String reason() {
        return reason;
    }

    /** Seconds the caller should wait before trying again; 0 when it should not retry blindly. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public byte[] body() {
        return KubeStatus.failure(code, reason, getMessage(), retryAfterSeconds);
    }
}
