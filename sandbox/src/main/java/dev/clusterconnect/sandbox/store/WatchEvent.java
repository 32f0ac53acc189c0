package dev.clusterconnect.sandbox.store;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A change to one stored object, as a watch reports it.
 *
 * @param type {@code ADDED}, {@code MODIFIED} or {@code DELETED}
 * @param resource the type of the object
 * @param object the object after the change (for DELETED, as it was when deleted)
 * @param previous the object before the change, {@code null} for ADDED
 * @param resourceVersion the global resourceVersion of the change
 */
public record WatchEvent(
        String type, ResourceType resource, ObjectNode object, ObjectNode previous, long resourceVersion) {

    /** The event kind names of the watch protocol. */
    public static final String ADDED = "ADDED";
    /** An update. */
    public static final String MODIFIED = "MODIFIED";
    /** A deletion. */
    public static final String DELETED = "DELETED";

    /** The namespace of the object, {@code ""} for cluster-scoped ones. */
    public String namespace() {
        return Objects.namespace(object);
    }
}
