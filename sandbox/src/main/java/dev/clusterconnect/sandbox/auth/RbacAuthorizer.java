package dev.clusterconnect.sandbox.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clusterconnect.sandbox.store.ApiException;
import dev.clusterconnect.sandbox.store.ObjectStore;
import dev.clusterconnect.sandbox.store.ResourceCatalog;

/**
 * Kubernetes RBAC read from the stored Role, RoleBinding, ClusterRole and ClusterRoleBinding
 * objects at each request, as the apiserver's RBAC authorizer does: ClusterRoleBindings grant
 * everywhere, RoleBindings only in their namespace; nothing is allowed that no binding grants.
 * Matching follows {@code k8s.io/kubernetes/pkg/apis/rbac/v1/evaluation_helpers.go}.
 */
public final class RbacAuthorizer implements Authorizer {

    private final ObjectStore store;

    /** Decides from the RBAC objects in {@code store}. */
    public RbacAuthorizer(ObjectStore store) {
        this.store = store;
    }

    @Override
    public boolean allows(Identity identity, RequestAttributes attributes) {
        for (ObjectNode binding : store.list(ResourceCatalog.CLUSTER_ROLE_BINDINGS, null, o -> true)
                .items()) {
            if (binds(binding, identity) && grants(binding, "", attributes)) {
                return true;
            }
        }
        if (attributes.namespace().isEmpty()) {
            return false;
        }
        for (ObjectNode binding : store.list(ResourceCatalog.ROLE_BINDINGS, attributes.namespace(), o -> true)
                .items()) {
            if (binds(binding, identity) && grants(binding, attributes.namespace(), attributes)) {
                return true;
            }
        }
        return false;
    }

    private static boolean binds(ObjectNode binding, Identity identity) {
        for (JsonNode subject : binding.path("subjects")) {
            String name = subject.path("name").asText();
            boolean matches = switch (subject.path("kind").asText()) {
                case "User" -> name.equals(identity.username());
                case "Group" -> identity.groups().contains(name);
                case "ServiceAccount" ->
                    ("system:serviceaccount:" + subject.path("namespace").asText() + ":" + name)
                            .equals(identity.username());
                default -> false;
            };
            if (matches) {
                return true;
            }
        }
        return false;
    }

    /** Whether the role a binding refers to has a rule covering the request; a missing role grants nothing. */
    private boolean grants(ObjectNode binding, String namespace, RequestAttributes attributes) {
        JsonNode ref = binding.path("roleRef");
        String name = ref.path("name").asText();
        ObjectNode role;
        try {
            role = ref.path("kind").asText().equals("Role") && !namespace.isEmpty()
                    ? store.get(ResourceCatalog.ROLES, namespace, name)
                    : store.get(ResourceCatalog.CLUSTER_ROLES, "", name);
        } catch (ApiException notFound) {
            return false;
        }
        for (JsonNode rule : role.path("rules")) {
            if (covers(rule, attributes)) {
                return true;
            }
        }
        return false;
    }

    private static boolean covers(JsonNode rule, RequestAttributes a) {
        if (!contains(rule.path("verbs"), a.verb())) {
            return false;
        }
        if (!a.isResourceRequest()) {
            return nonResourceUrlMatches(rule.path("nonResourceURLs"), a.path());
        }
        return contains(rule.path("apiGroups"), a.apiGroup())
                && resourceMatches(rule.path("resources"), a)
                && nameMatches(rule.path("resourceNames"), a.name());
    }

    private static boolean contains(JsonNode values, String wanted) {
        for (JsonNode value : values) {
            if (value.asText().equals("*") || value.asText().equals(wanted)) {
                return true;
            }
        }
        return false;
    }

    /** {@code *}, the exact resource (with subresource), {@code pods/*} for any subresource, or {@code *}{@code /scale}. */
    private static boolean resourceMatches(JsonNode resources, RequestAttributes a) {
        String combined = a.resourceWithSubresource();
        for (JsonNode value : resources) {
            String rule = value.asText();
            if (rule.equals("*") || rule.equals(combined)) {
                return true;
            }
            if (!a.subresource().isEmpty()
                    && (rule.equals(a.resource() + "/*") || rule.equals("*/" + a.subresource()))) {
                return true;
            }
        }
        return false;
    }

    private static boolean nameMatches(JsonNode names, String name) {
        if (names.isEmpty()) {
            return true;
        }
        for (JsonNode value : names) {
            if (value.asText().equals(name)) {
                return true;
            }
        }
        return false;
    }

    private static boolean nonResourceUrlMatches(JsonNode urls, String path) {
        for (JsonNode value : urls) {
            String rule = value.asText();
            if (rule.equals("*")
                    || rule.equals(path)
                    || (rule.endsWith("*") && path.startsWith(rule.substring(0, rule.length() - 1)))) {
                return true;
            }
        }
        return false;
    }
}
