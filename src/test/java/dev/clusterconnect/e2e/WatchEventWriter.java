package dev.clusterconnect.e2e;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clusterconnect.sandbox.store.ApiException;
import dev.clusterconnect.sandbox.store.Json;
import dev.clusterconnect.sandbox.store.ObjectStore;
import dev.clusterconnect.sandbox.store.ResourceCatalog;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes config maps into the sandbox's store at a steady rate, each stamped with its write time,
 * round-robin over the watched namespaces: every watch gets its events spread over the run, not in
 * one burst, and each event goes to exactly one watch.
 */
final class WatchEventWriter {

    private WatchEventWriter() {}

    /** Namespaces {@code <prefix>0 .. <prefix><count-1>}, one per watch. */
    static void createNamespaces(ObjectStore store, String prefix, int count) {
        for (int i = 0; i < count; i++) {
            ObjectNode namespace = Json.object().put("apiVersion", "v1").put("kind", "Namespace");
            namespace.putObject("metadata").put("name", prefix + i);
            store.create(namespace);
        }
    }

    /**
     * Writes {@code events} config maps at {@code perSecond}, event {@code k} into namespace
     * {@code <prefix><k % watches>}.
     *
     * @return the seconds the writing took (longer than events / perSecond if the store fell behind)
     */
    static double write(ObjectStore store, String prefix, int watches, int events, int perSecond) {
        long started = System.nanoTime();
        for (int k = 0; k < events; k++) {
            long due = started + k * 1_000_000_000L / perSecond;
            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            ObjectNode configMap = Json.object().put("apiVersion", "v1").put("kind", "ConfigMap");
            configMap.putObject("metadata").put("name", "e-" + k);
            // stamped last, so building the object is not counted as latency
            configMap
                    .putObject("data")
                    .put(WatchEventReader.WRITTEN_FIELD, Long.toString(WatchEventReader.nowMicros()));
            store.create(ResourceCatalog.CONFIGMAPS, prefix + (k % watches), configMap, false);
        }
        return (System.nanoTime() - started) / 1e9;
    }

    /**
     * Deletes what {@link #write} created. The sandbox starts every watch by scanning all config maps
     * of every namespace (a real apiserver reads its watch cache by namespace), so leftovers from
     * one phase would slow the next phase's opening.
     */
    static void deleteEvents(ObjectStore store, String prefix, int watches, int events) {
        for (int k = 0; k < events; k++) {
            try {
                store.delete(ResourceCatalog.CONFIGMAPS, prefix + (k % watches), "e-" + k);
            } catch (ApiException notWritten) {
                // the phase failed before writing it
            }
        }
    }
}
