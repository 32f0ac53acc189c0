package dev.clusterconnect.sandbox.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** The resources the sandbox serves: the few kubectl users reach for first. */
public final class ResourceCatalog {

    /** Namespaces, cluster-scoped. */
    public static final ResourceType NAMESPACES =
            core("namespaces", "Namespace", false, List.of("ns"), List.of("status"));
    /** Pods, with the streaming subresources. */
    public static final ResourceType PODS =
            core("pods", "Pod", true, List.of("po"), List.of("log", "exec", "attach", "portforward", "status"));
    /** ConfigMaps. */
    public static final ResourceType CONFIGMAPS = core("configmaps", "ConfigMap", true, List.of("cm"), List.of());
    /** Secrets. */
    public static final ResourceType SECRETS = core("secrets", "Secret", true, List.of(), List.of());
    /** Services. */
    public static final ResourceType SERVICES = core("services", "Service", true, List.of("svc"), List.of("status"));
    /** ServiceAccounts. */
    public static final ResourceType SERVICE_ACCOUNTS =
            core("serviceaccounts", "ServiceAccount", true, List.of("sa"), List.of());
    /** Events, which {@code kubectl describe} lists. */
    public static final ResourceType EVENTS = core("events", "Event", true, List.of("ev"), List.of());
    /** Deployments in {@code apps/v1}. */
    public static final ResourceType DEPLOYMENTS = new ResourceType(
            "apps", "v1", "deployments", "Deployment", true, List.of("deploy"), List.of("status", "scale"));

    /** Roles: rules that apply in their namespace. */
    public static final ResourceType ROLES = rbac("roles", "Role", true);
    /** RoleBindings: grant a Role's or ClusterRole's rules in one namespace. */
    public static final ResourceType ROLE_BINDINGS = rbac("rolebindings", "RoleBinding", true);
    /** ClusterRoles. */
    public static final ResourceType CLUSTER_ROLES = rbac("clusterroles", "ClusterRole", false);
    /** ClusterRoleBindings: grant a ClusterRole's rules everywhere. */
    public static final ResourceType CLUSTER_ROLE_BINDINGS = rbac("clusterrolebindings", "ClusterRoleBinding", false);

    /** Every stored resource, in discovery order. */
    public static final List<ResourceType> ALL = List.of(
            NAMESPACES,
            PODS,
            CONFIGMAPS,
            SECRETS,
            SERVICES,
            SERVICE_ACCOUNTS,
            EVENTS,
            DEPLOYMENTS,
            ROLES,
            ROLE_BINDINGS,
            CLUSTER_ROLES,
            CLUSTER_ROLE_BINDINGS);

    /** The resources {@code kubectl get all} shows. */
    public static final List<ResourceType> CATEGORY_ALL = List.of(PODS, SERVICES, DEPLOYMENTS);

    private static final Map<String, ResourceType> BY_PATH =
            ALL.stream().collect(Collectors.toMap(t -> t.apiVersion() + "/" + t.plural(), t -> t));

    private ResourceCatalog() {}

    /** Finds the type served at {@code apiVersion} under {@code plural}. */
    public static Optional<ResourceType> find(String apiVersion, String plural) {
        return Optional.ofNullable(BY_PATH.get(apiVersion + "/" + plural));
    }

    /** Finds the type of an object by its {@code apiVersion} and {@code kind}. */
    public static Optional<ResourceType> byKind(String apiVersion, String kind) {
        return ALL.stream()
                .filter(t -> t.apiVersion().equals(apiVersion) && t.kind().equals(kind))
                .findFirst();
    }

    private static ResourceType rbac(String plural, String kind, boolean namespaced) {
        return new ResourceType("rbac.authorization.k8s.io", "v1", plural, kind, namespaced, List.of(), List.of());
    }

    private static ResourceType core(
            String plural, String kind, boolean namespaced, List<String> shortNames, List<String> subresources) {
        return new ResourceType("", "v1", plural, kind, namespaced, shortNames, subresources);
    }
}
