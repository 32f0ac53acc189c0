package dev.clusterconnect.sandbox.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The sandbox's etcd: every object in memory, one global resourceVersion counter, a bounded history
 * of changes for watches that resume from a resourceVersion, and subscribers told of each change
 * while the store lock is held, so every watch sees changes in resourceVersion order.
 *
 * <p>Objects handed out are copies; stored objects are never changed in place.
 */
public final class ObjectStore {

    private final Object lock = new Object();
    private final Map<ResourceType, NavigableMap<String, ObjectNode>> objects = new HashMap<>();
    private final WatchHub hub = new WatchHub();
    private final Clock clock;
    private long resourceVersion = 1;

    /** An empty store using the system clock. */
    public ObjectStore() {
        this(Clock.systemUTC());
    }

    /** An empty store using the given clock for creation timestamps. */
    public ObjectStore(Clock clock) {
        this.clock = clock;
        ResourceCatalog.ALL.forEach(type -> objects.put(type, new TreeMap<>()));
    }

    /** The current global resourceVersion. */
    public long resourceVersion() {
        synchronized (lock) {
            return resourceVersion;
        }
    }

    /** One object, or 404 NotFound. */
    public ObjectNode get(ResourceType type, String namespace, String name) {
        synchronized (lock) {
            return stored(type, namespace, name).deepCopy();
        }
    }

    /**
     * Objects of a type, in namespace/name order, with the resourceVersion the list was read at.
     *
     * @param namespace a namespace, or {@code null} for all
     */
    public Snapshot list(ResourceType type, String namespace, Predicate<ObjectNode> filter) {
        synchronized (lock) {
            List<ObjectNode> items = new ArrayList<>();
            for (ObjectNode object : objects.get(type).values()) {
                if (inNamespace(object, namespace) && filter.test(object)) {
                    items.add(object.deepCopy());
                }
            }
            return new Snapshot(items, resourceVersion);
        }
    }

    /** Creates an object; the type is taken from its {@code apiVersion} and {@code kind}. */
    public ObjectNode create(ObjectNode object) {
        return create(typeOf(object), Objects.namespace(object), object, false);
    }

    private static ResourceType typeOf(ObjectNode object) {
        return ResourceCatalog.byKind(
                        object.path("apiVersion").asText(), object.path("kind").asText())
                .orElseThrow(() -> ApiException.badRequest(
                        "unknown kind " + object.path("kind").asText()));
    }

    /** Replaces an object; the type, namespace and name are taken from the object itself. */
    public ObjectNode update(ObjectNode object) {
        ResourceType type = typeOf(object);
        return update(type, Objects.namespace(object), Objects.name(object), object, false);
    }

    /** Deletes an object, and for a namespace everything in it. */
    public ObjectNode delete(ResourceType type, String namespace, String name) {
        return delete(type, namespace, name, false);
    }

    /** Creates an object in a namespace (ignored for cluster-scoped types); 409 if it exists. */
    public ObjectNode create(ResourceType type, String namespace, ObjectNode object, boolean dryRun) {
        synchronized (lock) {
            ObjectNode created = object.deepCopy();
            ObjectNode metadata = Objects.metadata(created);
            String ns = type.namespaced() ? namespace : "";
            String name = nameFor(type, metadata);
            if (type.namespaced()) {
                metadata.put("namespace", ns);
                requireNamespace(ns);
            }
            if (objects.get(type).containsKey(Objects.key(ns, name))) {
                throw ApiException.alreadyExists(type.qualifiedName(), name);
            }
            String now = now();
            metadata.put("uid", UUID.randomUUID().toString());
            metadata.put("creationTimestamp", now);
            metadata.put("generation", 1);
            return commit(type, null, created, now, dryRun, WatchEvent.ADDED);
        }
    }

    /** Replaces an object (PUT); a resourceVersion in the new object must match the stored one. */
    public ObjectNode update(ResourceType type, String namespace, String name, ObjectNode object, boolean dryRun) {
        synchronized (lock) {
            ObjectNode current = stored(type, namespace, name);
            long expected = Objects.resourceVersion(object);
            if (expected != 0 && expected != Objects.resourceVersion(current)) {
                throw ApiException.conflict(type.qualifiedName(), name);
            }
            return replace(type, current, object.deepCopy(), dryRun);
        }
    }

    /** Changes an object with a function of its current state (PATCH), atomically. */
    public ObjectNode modify(
            ResourceType type, String namespace, String name, UnaryOperator<ObjectNode> change, boolean dryRun) {
        synchronized (lock) {
            ObjectNode current = stored(type, namespace, name);
            return replace(type, current, change.apply(current.deepCopy()), dryRun);
        }
    }

    /** Deletes an object, and for a namespace everything in it; answers the deleted object. */
    public ObjectNode delete(ResourceType type, String namespace, String name, boolean dryRun) {
        synchronized (lock) {
            ObjectNode current = stored(type, namespace, name);
            if (dryRun) {
                return current.deepCopy();
            }
            if (type == ResourceCatalog.NAMESPACES) {
                deleteContents(name);
            }
            return remove(type, current);
        }
    }

    /** Subscribes to changes; see {@link WatchHub#subscribe}. Runs under the store lock. */
    public WatchHub.Subscription watch(WatchHub.Request request, WatchHub.Sink sink) {
        synchronized (lock) {
            List<ObjectNode> existing = request.fromResourceVersion() < 0
                    ? list(request.type(), request.namespace(), o -> true).items()
                    : List.of();
            return hub.subscribe(request, existing, resourceVersion, sink);
        }
    }

    /** How many watches are open. */
    public int openWatchCount() {
        return hub.size();
    }

    /**
     * Test helper: creates {@code count} config maps named {@code emitted-<n>} in a namespace, each a
     * separate change that open watches see.
     */
    public List<ObjectNode> emitConfigMaps(String namespace, int count) {
        List<ObjectNode> created = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ObjectNode cm = Json.object().put("apiVersion", "v1").put("kind", "ConfigMap");
            cm.putObject("metadata").put("generateName", "emitted-");
            cm.putObject("data").put("index", Integer.toString(i));
            created.add(create(ResourceCatalog.CONFIGMAPS, namespace, cm, false));
        }
        return created;
    }

    private ObjectNode replace(ResourceType type, ObjectNode current, ObjectNode next, boolean dryRun) {
        ObjectNode metadata = Objects.metadata(next);
        ObjectNode currentMetadata = Objects.metadata(current);
        for (String kept : List.of("name", "namespace", "uid", "creationTimestamp")) {
            if (currentMetadata.has(kept)) {
                metadata.set(kept, currentMetadata.get(kept));
            }
        }
        long generation = currentMetadata.path("generation").asLong(1);
        metadata.put("generation", specChanged(current, next) ? generation + 1 : generation);
        return commit(type, current, next, now(), dryRun, WatchEvent.MODIFIED);
    }

    private ObjectNode commit(
            ResourceType type, ObjectNode previous, ObjectNode next, String now, boolean dryRun, String eventType) {
        next.put("apiVersion", type.apiVersion()).put("kind", type.kind());
        ObjectDefaults.apply(type, next, now);
        if (dryRun) {
            return next;
        }
        resourceVersion++;
        Objects.metadata(next).put("resourceVersion", Long.toString(resourceVersion));
        objects.get(type).put(Objects.key(Objects.namespace(next), Objects.name(next)), next);
        hub.publish(new WatchEvent(eventType, type, next, previous, resourceVersion));
        return next.deepCopy();
    }

    private ObjectNode remove(ResourceType type, ObjectNode current) {
        objects.get(type).remove(Objects.key(Objects.namespace(current), Objects.name(current)));
        resourceVersion++;
        ObjectNode deleted = current.deepCopy();
        Objects.metadata(deleted).put("resourceVersion", Long.toString(resourceVersion));
        hub.publish(new WatchEvent(WatchEvent.DELETED, type, deleted, current, resourceVersion));
        return deleted.deepCopy();
    }

    private void deleteContents(String namespace) {
        for (ResourceType type : ResourceCatalog.ALL) {
            if (type.namespaced()) {
                for (ObjectNode object : new ArrayList<>(objects.get(type).values())) {
                    if (namespace.equals(Objects.namespace(object))) {
                        remove(type, object);
                    }
                }
            }
        }
    }

    private ObjectNode stored(ResourceType type, String namespace, String name) {
        ObjectNode object = objects.get(type).get(Objects.key(type.namespaced() ? namespace : "", name));
        if (object == null) {
            throw ApiException.notFound(type.qualifiedName(), name);
        }
        return object;
    }

    private void requireNamespace(String namespace) {
        if (namespace == null || namespace.isEmpty()) {
            throw ApiException.badRequest("the namespace of the object is not set");
        }
        if (!objects.get(ResourceCatalog.NAMESPACES).containsKey(Objects.key("", namespace))) {
            throw ApiException.notFound("namespaces", namespace);
        }
    }

    private String nameFor(ResourceType type, ObjectNode metadata) {
        String name = metadata.path("name").asText("");
        if (name.isEmpty()) {
            String prefix = metadata.path("generateName").asText("");
            if (prefix.isEmpty()) {
                throw ApiException.invalid(
                        type.qualifiedName(),
                        "",
                        type.kind()
                                + " \"\" is invalid: metadata.name: Required value: name or generateName is required");
            }
            name = prefix + UUID.randomUUID().toString().substring(0, 5);
            metadata.put("name", name);
        }
        return name;
    }

    private static boolean specChanged(JsonNode current, JsonNode next) {
        for (String field : List.of("spec", "data", "stringData", "binaryData")) {
            if (!java.util.Objects.equals(current.get(field), next.get(field))) {
                return true;
            }
        }
        return false;
    }

    private static boolean inNamespace(ObjectNode object, String namespace) {
        return namespace == null || namespace.equals(Objects.namespace(object));
    }

    private String now() {
        return Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /**
     * A consistent read of a list.
     *
     * @param items copies of the matching objects
     * @param resourceVersion the store's resourceVersion at the time of the read
     */
    public record Snapshot(List<ObjectNode> items, long resourceVersion) {}
}
