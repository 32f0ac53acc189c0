package dev.clusterconnect.routes.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/**
 * A Kubernetes {@code Status} object (meta/v1), the error body kubectl knows how to print:
 * {@code Error from server (Reason): message}.
 */
public final class KubeStatus {

    private static final ObjectMapper JSON = new ObjectMapper();

    private KubeStatus() {}

    /** The JSON body for a failure. {@code message} must be safe to show (no secrets). */
    public static byte[] failure(int code, String reason, String message) {
        return failure(code, reason, message, 0);
    }

    /** As {@link #failure(int, String, String)}, with {@code details.retryAfterSeconds} when positive (as the apiserver's 429). */
    public static byte[] failure(int code, String reason, String message, int retryAfterSeconds) {
        ObjectNode status = JSON.createObjectNode();
        status.put("kind", "Status");
        status.put("apiVersion", "v1");
        status.putObject("metadata");
        status.put("status", "Failure");
        status.put("message", message);
        status.put("reason", reason);
        if (retryAfterSeconds > 0) {
            status.putObject("details").put("retryAfterSeconds", retryAfterSeconds);
        }
        status.put("code", code);
        return status.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The Kubernetes {@code StatusReason} that goes with an HTTP status code. */
    public static String reasonFor(int code) {
        return switch (code) {
            case 400 -> "BadRequest";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "NotFound";
            case 405 -> "MethodNotAllowed";
            case 409 -> "Conflict";
            case 413 -> "RequestEntityTooLarge";
            // No StatusReason of their own; apimachinery would say Unknown (""), which kubectl
            // prints as no reason at all. Both are the client's request being wrong: BadRequest.
            case 426, 431 -> "BadRequest";
            case 429 -> "TooManyRequests";
            case 503 -> "ServiceUnavailable";
            case 504 -> "Timeout";
            default -> code >= 500 ? "InternalError" : "BadRequest";
        };
    }
}
