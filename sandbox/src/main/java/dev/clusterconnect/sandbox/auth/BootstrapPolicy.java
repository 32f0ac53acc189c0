package dev.clusterconnect.sandbox.auth;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clusterconnect.sandbox.store.Json;
import dev.clusterconnect.sandbox.store.ObjectStore;
import java.util.List;

/**
 * The roles and bindings an apiserver with RBAC creates at its first start (its bootstrap policy),
 * cut down to the resources the sandbox serves: {@code cluster-admin} for {@code system:masters},
 * discovery and self-reviews for every authenticated user, and the user-facing {@code admin},
 * {@code edit} and {@code view} roles (in a real cluster aggregated; here written out). Nothing
 * else: a user with no binding may do nothing, as in a new cluster.
 */
public final class BootstrapPolicy {

    private static final String RBAC = "rbac.authorization.k8s.io";
    private static final List<String> READ = List.of("get", "list", "watch");
    private static final List<String> WRITE = List.of("create", "delete", "deletecollection", "patch", "update");
    private static final List<String> ALL_VERBS =
            List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");
    private static final List<String> CORE_WORKLOADS = List.of(
            "pods",
            "pods/attach",
            "pods/exec",
            "pods/portforward",
            "configmaps",
            "secrets",
            "services",
            "serviceaccounts");

    private BootstrapPolicy() {}

    /** Stores the bootstrap roles and bindings. */
    public static void seed(ObjectStore store) {
        ObjectNode clusterAdmin = clusterRole("cluster-admin");
        rule(clusterAdmin, List.of("*"), List.of("*"), List.of("*"));
        nonResourceRule(clusterAdmin, List.of("*"), List.of("*"));
        store.create(clusterAdmin);
        store.create(binding("cluster-admin", "cluster-admin", "Group", "system:masters"));

        ObjectNode discovery = clusterRole("system:discovery");
        nonResourceRule(
                discovery,
                List.of("get"),
                List.of(
                        "/api",
                        "/api/*",
                        "/apis",
                        "/apis/*",
                        "/healthz",
                        "/livez",
                        "/openapi",
                        "/openapi/*",
                        "/readyz",
                        "/version",
                        "/version/"));
        store.create(discovery);
        store.create(binding("system:discovery", "system:discovery", "Group", Identity.AUTHENTICATED));

        // As in Kubernetes: /metrics is for the system:monitoring group (and cluster admins), not
        // for every authenticated user.
        ObjectNode monitoring = clusterRole("system:monitoring");
        nonResourceRule(
                monitoring,
                List.of("get"),
                List.of(
                        "/healthz",
                        "/healthz/*",
                        "/livez",
                        "/livez/*",
                        "/metrics",
                        "/metrics/slis",
                        "/readyz",
                        "/readyz/*"));
        store.create(monitoring);
        store.create(binding("system:monitoring", "system:monitoring", "Group", "system:monitoring"));

        ObjectNode basicUser = clusterRole("system:basic-user");
        rule(basicUser, List.of("authentication.k8s.io"), List.of("selfsubjectreviews"), List.of("create"));
        rule(
                basicUser,
                List.of("authorization.k8s.io"),
                List.of("selfsubjectaccessreviews", "selfsubjectrulesreviews"),
                List.of("create"));
        store.create(basicUser);
        store.create(binding("system:basic-user", "system:basic-user", "Group", Identity.AUTHENTICATED));

        store.create(view());
        store.create(edit());
        store.create(admin());
    }

    private static ObjectNode view() {
        ObjectNode view = clusterRole("view");
        rule(
                view,
                List.of(""),
                List.of(
                        "pods",
                        "pods/log",
                        "pods/status",
                        "configmaps",
                        "services",
                        "services/status",
                        "serviceaccounts",
                        "events",
                        "namespaces",
                        "namespaces/status"),
                READ);
        rule(view, List.of("apps"), List.of("deployments", "deployments/scale", "deployments/status"), READ);
        return view;
    }

    private static ObjectNode edit() {
        ObjectNode edit = renamed(view(), "edit");
        rule(edit, List.of(""), CORE_WORKLOADS, WRITE);
        rule(edit, List.of(""), List.of("secrets"), READ);
        rule(edit, List.of(""), List.of("pods/attach", "pods/exec", "pods/portforward"), READ);
        rule(edit, List.of(""), List.of("serviceaccounts"), List.of("impersonate"));
        rule(edit, List.of("apps"), List.of("deployments", "deployments/scale"), WRITE);
        return edit;
    }

    private static ObjectNode admin() {
        ObjectNode admin = renamed(edit(), "admin");
        rule(admin, List.of(RBAC), List.of("roles", "rolebindings"), ALL_VERBS);
        return admin;
    }

    private static ObjectNode clusterRole(String name) {
        ObjectNode role = Json.object().put("apiVersion", RBAC + "/v1").put("kind", "ClusterRole");
        role.putObject("metadata")
                .put("name", name)
                .putObject("labels")
                .put("kubernetes.io/bootstrapping", "rbac-defaults");
        role.putArray("rules");
        return role;
    }

    private static ObjectNode binding(String name, String clusterRole, String subjectKind, String subject) {
        ObjectNode binding = Json.object().put("apiVersion", RBAC + "/v1").put("kind", "ClusterRoleBinding");
        binding.putObject("metadata")
                .put("name", name)
                .putObject("labels")
                .put("kubernetes.io/bootstrapping", "rbac-defaults");
        binding.putObject("roleRef")
                .put("apiGroup", RBAC)
                .put("kind", "ClusterRole")
                .put("name", clusterRole);
        binding.putArray("subjects")
                .addObject()
                .put("apiGroup", RBAC)
                .put("kind", subjectKind)
                .put("name", subject);
        return binding;
    }

    private static void rule(ObjectNode role, List<String> groups, List<String> resources, List<String> verbs) {
        ObjectNode rule = rules(role).addObject();
        rule.set("apiGroups", strings(groups));
        rule.set("resources", strings(resources));
        rule.set("verbs", strings(verbs));
    }

    private static void nonResourceRule(ObjectNode role, List<String> verbs, List<String> urls) {
        ObjectNode rule = rules(role).addObject();
        rule.set("verbs", strings(verbs));
        rule.set("nonResourceURLs", strings(urls));
    }

    /** A role built from another: edit holds view's rules, admin edit's. */
    private static ObjectNode renamed(ObjectNode role, String name) {
        ((ObjectNode) role.get("metadata")).put("name", name);
        return role;
    }

    private static ArrayNode rules(ObjectNode role) {
        return (ArrayNode) role.get("rules");
    }

    private static ArrayNode strings(List<String> values) {
        ArrayNode array = Json.object().arrayNode();
        values.forEach(array::add);
        return array;
    }
}
