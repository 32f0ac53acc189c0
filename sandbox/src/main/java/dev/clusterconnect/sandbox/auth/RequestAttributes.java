package dev.clusterconnect.sandbox.auth;

/**
 * What a request does, in the terms of Kubernetes authorization.
 *
 * @param verb get, list, watch, create, update, patch, delete, or impersonate
 * @param apiGroup API group, {@code ""} for core
 * @param resource resource, e.g. {@code pods}; {@code null} for a non-resource path
 * @param subresource subresource, e.g. {@code exec}, or {@code ""}
 * @param namespace namespace, or {@code ""} for cluster scope
 * @param name object name, or {@code ""}
 * @param path the request path, for non-resource requests
 */
public record RequestAttributes(
        String verb, String apiGroup, String resource, String subresource, String namespace, String name, String path) {

    /** Whether this is a request on a resource rather than a path like {@code /version}. */
    public boolean isResourceRequest() {
        return resource != null;
    }

    /** {@code pods} or {@code pods/exec}. */
    public String resourceWithSubresource() {
        return subresource.isEmpty() ? resource : resource + "/" + subresource;
    }
}
