package dev.clusterconnect.sandbox.store;

import java.util.List;

/**
 * One kind of object the sandbox stores, with the names discovery publishes for it.
 *
 * @param group API group, {@code ""} for the core group
 * @param version API version, e.g. {@code v1}
 * @param plural resource name in URLs, e.g. {@code pods}
 * @param kind object kind, e.g. {@code Pod}
 * @param namespaced whether objects live in a namespace
 * @param shortNames short names kubectl accepts
 * @param subresources subresources published in discovery, e.g. {@code log}, {@code exec}
 */
public record ResourceType(
        String group,
        String version,
        String plural,
        String kind,
        boolean namespaced,
        List<String> shortNames,
        List<String> subresources) {

    /** {@code v1} or {@code apps/v1}. */
    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    /** Lower-case singular name, as discovery publishes it. */
    public String singular() {
        return kind.toLowerCase(java.util.Locale.ROOT);
    }

    /** The kind of a list of these objects. */
    public String listKind() {
        return kind + "List";
    }

    /** The resource as error messages name it: {@code pods} or {@code deployments.apps}. */
    public String qualifiedName() {
        return group.isEmpty() ? plural : plural + "." + group;
    }
}
