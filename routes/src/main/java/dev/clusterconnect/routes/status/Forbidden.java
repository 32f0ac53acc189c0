package dev.clusterconnect.routes.status;

/**
 * A 403 {@code Forbidden} with the given message, for routes that refuse a request by policy. A
 * YAML route throws it with {@code throwException: {exceptionType:
 * dev.clusterconnect.routes.status.Forbidden, message: "..."}}; kubectl prints
 * {@code Error from server (Forbidden): <message>}.
 */
public final class Forbidden extends KubeStatusException {

    /** @param message shown to the user and logged: never put a secret in it */
    public Forbidden(String message) {
        super(403, message);
    }
}
