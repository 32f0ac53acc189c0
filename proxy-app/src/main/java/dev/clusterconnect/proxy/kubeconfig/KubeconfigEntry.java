package dev.clusterconnect.proxy.kubeconfig;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One cluster as kubectl sees it: a cluster, a user and a context entry, all three named
 * {@link #name()} so they can be found and removed together.
 *
 * @param name                     the name of the cluster, user and context entries
 * @param server                   the API server URL kubectl talks to (the local proxy)
 * @param certificateAuthorityData base64 of the PEM CA bundle that signs the server certificate
 * @param credential               how kubectl authenticates
 * @param namespace                the context's default namespace, or {@code null}
 */
public record KubeconfigEntry(
        String name, URI server, String certificateAuthorityData, UserCredential credential, String namespace) {

    /** Prefix of every entry name this CLI writes, so it never touches the user's own entries. */
    public static final String NAME_PREFIX = "clusterconnect-";

    /** Checks the required parts are present. */
    public KubeconfigEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(server, "server");
        // null: the server has a publicly trusted certificate (a relay), kubectl uses the system's CAs
        Objects.requireNonNull(credential, "credential");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
    }

    /**
     * The entry for a connected cluster, named {@code clusterconnect-<cluster>}.
     *
     * @param cluster    the cluster's name at the relay
     * @param server     the local proxy URL
     * @param caPem      the PEM text of the CA that signs the server's certificate, or null for the system's CAs
     * @param credential how kubectl authenticates
     * @return the entry, without a default namespace
     */
    public static KubeconfigEntry forCluster(String cluster, URI server, String caPem, UserCredential credential) {
        return named(NAME_PREFIX + cluster, server, caPem, credential);
    }

    /**
     * An entry under a name of the caller's choice (a test's kubeconfig for an apiserver).
     *
     * @param caPem the PEM text of the CA that signs the server's certificate, or null for the system's CAs
     * @return the entry, without a default namespace
     */
    public static KubeconfigEntry named(String name, URI server, String caPem, UserCredential credential) {
        String caData =
                caPem == null ? null : Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.UTF_8));
        return new KubeconfigEntry(name, server, caData, credential, null);
    }

    /** The same entry with a default namespace for its context. */
    public KubeconfigEntry withNamespace(String newNamespace) {
        return new KubeconfigEntry(name, server, certificateAuthorityData, credential, newNamespace);
    }

    /** The item for the {@code clusters} list. */
    public Map<String, Object> clusterItem() {
        Map<String, Object> cluster = new LinkedHashMap<>();
        if (certificateAuthorityData != null) {
            cluster.put("certificate-authority-data", certificateAuthorityData);
        }
        cluster.put("server", server.toString());
        return named("cluster", cluster);
    }

    /** The item for the {@code users} list. */
    public Map<String, Object> userItem() {
        return named("user", new LinkedHashMap<>(credential.userFields()));
    }

    /** The item for the {@code contexts} list. */
    public Map<String, Object> contextItem() {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("cluster", name);
        if (namespace != null && !namespace.isBlank()) {
            context.put("namespace", namespace);
        }
        context.put("user", name);
        return named("context", context);
    }

    private Map<String, Object> named(String key, Map<String, Object> body) {
        // kubectl writes keys in alphabetical order ("cluster", "name", "user"); do the same so
        // a later "kubectl config" rewrite of the file leaves our entries unchanged
        Map<String, Object> item = new TreeMap<>();
        item.put(key, body);
        item.put("name", name);
        return item;
    }
}
