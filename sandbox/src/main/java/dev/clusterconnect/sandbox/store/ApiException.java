package dev.clusterconnect.sandbox.store;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A failure that the apiserver reports as a {@code Status} object, with the reason, message and
 * code the real apiserver uses, so kubectl prints what users know.
 */
public final class ApiException extends RuntimeException {

    private final int code;
    private final String reason;
    private final String kind;
    private final String name;

    /** A failure with an HTTP code, a {@code Status.reason}, a message and optional details. */
    public ApiException(int code, String reason, String message, String kind, String name) {
        super(message);
        this.code = code;
        this.reason = reason;
        this.kind = kind;
        this.name = name;
    }

    /** 400 BadRequest. */
    public static ApiException badRequest(String message) {
        return new ApiException(400, "BadRequest", message, null, null);
    }

    /** 404 NotFound for a named object of a resource, e.g. {@code pods "x" not found}. */
    public static ApiException notFound(String resource, String name) {
        return new ApiException(404, "NotFound", resource + " \"" + name + "\" not found", resource, name);
    }

    /** 404 NotFound for a path the server does not serve. */
    public static ApiException noRoute() {
        return new ApiException(404, "NotFound", "the server could not find the requested resource", null, null);
    }

    /** 409 AlreadyExists. */
    public static ApiException alreadyExists(String resource, String name) {
        return new ApiException(409, "AlreadyExists", resource + " \"" + name + "\" already exists", resource, name);
    }

    /** 409 Conflict on a stale resourceVersion. */
    public static ApiException conflict(String resource, String name) {
        return new ApiException(
                409,
                "Conflict",
                "Operation cannot be fulfilled on " + resource + " \"" + name
                        + "\": the object has been modified; please apply your changes to the latest version and try again",
                resource,
                name);
    }

    /** 405 MethodNotAllowed. */
    public static ApiException methodNotAllowed(String method) {
        return new ApiException(
                405, "MethodNotAllowed", "the server does not allow this method on the requested resource", null, null);
    }

    /** 410 Expired: a watch asked for history the server no longer keeps. */
    public static ApiException expired(long requested, long oldest) {
        return new ApiException(
                410, "Expired", "too old resource version: " + requested + " (" + oldest + ")", null, null);
    }

    /** 422 Invalid. */
    public static ApiException invalid(String resource, String name, String message) {
        return new ApiException(422, "Invalid", message, resource, name);
    }

    /** 415 UnsupportedMediaType. */
    public static ApiException unsupportedMediaType(String contentType) {
        return new ApiException(
                415,
                "UnsupportedMediaType",
                "the body of the request was in an unknown format - accepted media types include: "
                        + "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml"
                        + (contentType == null ? "" : " (got " + contentType + ")"),
                null,
                null);
    }

    /** The HTTP status code. */
    public int code() {
        return code;
    }

    /** The {@code Status} object as the apiserver writes it. */
    public ObjectNode toStatus() {
        ObjectNode status = Json.object();
        status.put("kind", "Status").put("apiVersion", "v1");
        status.putObject("metadata");
        status.put("status", "Failure").put("message", getMessage()).put("reason", reason);
        if (kind != null || name != null) {
            ObjectNode details = status.putObject("details");
            if (name != null) {
                details.put("name", name);
            }
            if (kind != null) {
                details.put("kind", kind);
            }
        }
        status.put("code", code);
        return status;
    }
}
