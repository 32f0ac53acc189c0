package dev.clusterconnect.sandbox.auth;

import dev.clusterconnect.sandbox.store.ApiException;

/** Builds the 403 Status the apiserver answers, word for word. */
public final class Forbidden {

    private Forbidden() {}

    /** {@code pods "x" is forbidden: User "bob" cannot get resource "pods" in API group "" in the namespace "default"}. */
    public static ApiException of(Identity identity, RequestAttributes a) {
        if (!a.isResourceRequest()) {
            return new ApiException(
                    403,
                    "Forbidden",
                    "forbidden: User \"" + identity.username() + "\" cannot " + a.verb() + " path \"" + a.path() + "\"",
                    null,
                    null);
        }
        String qualified = a.apiGroup().isEmpty() ? a.resource() : a.resource() + "." + a.apiGroup();
        String subject = a.name().isEmpty() ? qualified : qualified + " \"" + a.name() + "\"";
        String scope = a.namespace().isEmpty() ? "at the cluster scope" : "in the namespace \"" + a.namespace() + "\"";
        String message = subject + " is forbidden: User \"" + identity.username() + "\" cannot " + a.verb()
                + " resource \"" + a.resourceWithSubresource() + "\" in API group \"" + a.apiGroup() + "\" " + scope;
        return new ApiException(
                403, "Forbidden", message, a.resource(), a.name().isEmpty() ? null : a.name());
    }
}
