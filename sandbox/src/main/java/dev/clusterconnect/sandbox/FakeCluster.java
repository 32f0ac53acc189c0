package dev.clusterconnect.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clusterconnect.sandbox.pod.PodFileSystem;
import dev.clusterconnect.sandbox.pod.PodLogs;
import dev.clusterconnect.sandbox.store.Json;
import dev.clusterconnect.sandbox.store.ObjectStore;
import dev.clusterconnect.sandbox.store.Objects;
import dev.clusterconnect.sandbox.store.ResourceCatalog;
import dev.clusterconnect.sandbox.stream.PortForwardTargets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The state behind the sandbox apiserver: stored objects, and what the pods' containers hold
 * (logs, files), where their ports lead, and which namespaces list generated bulk config maps.
 */
public final class FakeCluster {

    private final ObjectStore store = new ObjectStore();
    private final PodLogs logs = new PodLogs();
    private final Map<String, PodFileSystem> files = new ConcurrentHashMap<>();
    private final Map<String, Long> bulk = new ConcurrentHashMap<>();
    private final PortForwardTargets portForwardTargets;

    FakeCluster(PortForwardTargets portForwardTargets) {
        this.portForwardTargets = portForwardTargets;
    }

    /** The object store. */
    public ObjectStore store() {
        return store;
    }

    /** The pods' logs. */
    public PodLogs logs() {
        return logs;
    }

    /** The files of a pod's container, created on first use. */
    public PodFileSystem files(String namespace, String pod) {
        return files.computeIfAbsent(Objects.key(namespace, pod), k -> new PodFileSystem(pod));
    }

    /** Where pod ports lead. */
    public PortForwardTargets portForwardTargets() {
        return portForwardTargets;
    }

    /** The total size of the generated config maps listed in a namespace; 0 when none. */
    public long bulkBytes(String namespace) {
        return bulk.getOrDefault(namespace, 0L);
    }

    /** Makes config map lists in {@code namespace} stream about {@code totalBytes} of generated items. */
    void addBulkConfigMaps(String namespace, long totalBytes) {
        bulk.put(namespace, totalBytes);
    }

    /** Creates a namespace if it does not exist. */
    void ensureNamespace(String name) {
        if (store.list(ResourceCatalog.NAMESPACES, null, o -> name.equals(Objects.name(o)))
                .items()
                .isEmpty()) {
            ObjectNode namespace = Json.object().put("apiVersion", "v1").put("kind", "Namespace");
            namespace.putObject("metadata").put("name", name);
            store.create(namespace);
        }
    }

    /** Creates a running pod with one container, and a first log line. */
    void seedPod(String namespace, String name) {
        ObjectNode pod = Json.object().put("apiVersion", "v1").put("kind", "Pod");
        pod.putObject("metadata")
                .put("name", name)
                .put("namespace", namespace)
                .putObject("labels")
                .put("app", "demo");
        pod.putObject("spec")
                .putArray("containers")
                .addObject()
                .put("name", "main")
                .put("image", "sandbox/demo:1");
        store.create(pod);
        logs.append(namespace, name, "starting " + name);
    }
}
