package dev.clusterconnect.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * What one chain needs on a real cluster ({@code CC_E2E_KUBECONFIG}), made through an admin
 * kubeconfig and removed when the chain closes: a namespace of its own, RoleBindings there that
 * give each test user and group the cluster's {@code edit} role (nothing is assumed to be granted
 * already), and pods when a test needs a kubelet. Everything carries the label
 * {@value #LABEL}, so what a killed run left behind goes with {@code kubectl delete ns -l <label>}.
 */
final class RealCluster implements AutoCloseable {

    static final String LABEL = "clusterconnect.dev/e2e";
    private static final ObjectMapper JSON = new ObjectMapper();

    final String namespace;
    private final Kubectl admin;
    private final Thread leftOnExit;
    private TestPods pods;
    private boolean closed;

    private RealCluster(String namespace, Kubectl admin) {
        this.namespace = namespace;
        this.admin = admin;
        // a run stopped from outside (Ctrl-C, a fork timeout) still removes its namespace
        this.leftOnExit = new Thread(this::deleteNamespace, "cc-e2e-cleanup-" + namespace);
        Runtime.getRuntime().addShutdownHook(leftOnExit);
    }

    /**
     * Set-up runs as {@code CC_E2E_ADMIN_KUBECONFIG} when set, else as the agent's kubeconfig (a
     * kind cluster's own kubeconfig is cluster-admin, which may also impersonate).
     */
    static Path adminKubeconfig() {
        String admin = System.getenv("CC_E2E_ADMIN_KUBECONFIG");
        return Path.of(admin != null && !admin.isBlank() ? admin : Chain.REAL_CLUSTER);
    }

    /** A new namespace where {@code user} and each of {@code groups} may edit. */
    static RealCluster prepare(String user, List<String> groups) throws Exception {
        String namespace =
                "cc-e2e-" + HexFormat.of().toHexDigits(System.nanoTime()).substring(8);
        RealCluster cluster = new RealCluster(namespace, new Kubectl(Kubectl.DEFAULT, adminKubeconfig()));
        try {
            ObjectNode ns = object("v1", "Namespace", namespace, null);
            cluster.apply(ns);
            cluster.allow("User", user);
            for (String group : groups) {
                cluster.allow("Group", group);
            }
            return cluster;
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    /** Gives a user or group ({@code kind} {@code User} or {@code Group}) the {@code edit} role in the namespace. */
    void allow(String kind, String name) throws Exception {
        ObjectNode binding = object(
                "rbac.authorization.k8s.io/v1",
                "RoleBinding",
                "cc-e2e-" + kind.toLowerCase(Locale.ROOT) + "-" + digest(name),
                namespace);
        binding.putObject("roleRef")
                .put("apiGroup", "rbac.authorization.k8s.io")
                .put("kind", "ClusterRole")
                .put("name", "edit");
        binding.putArray("subjects")
                .addObject()
                .put("apiGroup", "rbac.authorization.k8s.io")
                .put("kind", kind)
                .put("name", name);
        apply(binding);
    }

    /** The pods of this namespace for exec, attach, cp, logs and port-forward, created on first use. */
    synchronized TestPods pods() throws Exception {
        if (pods == null) {
            pods = TestPods.create(this);
        }
        return pods;
    }

    /** The apiserver's {@code gitVersion}, as the agent reports it to the relay. */
    String serverVersion() throws Exception {
        String out = admin.run("version", "-o", "json").ok().out();
        return JSON.readTree(out).path("serverVersion").path("gitVersion").asText();
    }

    /** Creates or updates an object with {@code kubectl apply}. */
    Kubectl.Result apply(ObjectNode object) throws Exception {
        return tryApply(object).ok();
    }

    /** {@link #apply}, answering kubectl's result whatever it is. */
    Kubectl.Result tryApply(ObjectNode object) throws Exception {
        return admin.run(JSON.writeValueAsBytes(object), "apply", "-f", "-");
    }

    Kubectl admin() {
        return admin;
    }

    static ObjectNode object(String apiVersion, String kind, String name, String namespace) {
        ObjectNode object =
                JSON.createObjectNode().put("apiVersion", apiVersion).put("kind", kind);
        ObjectNode metadata = object.putObject("metadata").put("name", name);
        if (namespace != null) {
            metadata.put("namespace", namespace);
        }
        metadata.putObject("labels").put(LABEL, "true");
        return object;
    }

    static ArrayNode strings(String... values) {
        ArrayNode array = JSON.createArrayNode();
        for (String value : values) {
            array.add(value);
        }
        return array;
    }

    /** Names in RoleBinding names: users may be called {@code alíce} or {@code 山田}. */
    private static String digest(String name) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Deletes the namespace and with it every binding, pod and config map of the chain. */
    @Override
    public void close() {
        deleteNamespace();
        try {
            Runtime.getRuntime().removeShutdownHook(leftOnExit);
        } catch (IllegalStateException exiting) {
            // the hook is running or has run
        }
    }

    private synchronized void deleteNamespace() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            // no wait: a real cluster takes seconds to finalize a namespace, and nothing reuses the name
            Kubectl.Result result = admin.run("delete", "namespace", namespace, "--ignore-not-found", "--wait=false");
            if (result.exit() != 0) {
                System.err.println("cannot delete e2e namespace " + namespace + ": " + result.err());
            }
        } catch (Exception e) {
            System.err.println("cannot delete e2e namespace " + namespace + ": " + e);
        }
    }
}
