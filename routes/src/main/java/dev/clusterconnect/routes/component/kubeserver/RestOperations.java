package dev.clusterconnect.routes.component.kubeserver;

import dev.clusterconnect.routes.http.HttpCall;
import dev.clusterconnect.routes.status.KubeStatusException;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The REST operations (Camel's REST DSL) under one base path of a server: each request goes to the
 * operation of its method and path template, with the template's parameters as message headers. A
 * path no operation has is a 404 Status, a known path with another method a 405 naming the methods
 * it has, both answered here, before any route.
 */
final class RestOperations implements RequestTarget {

    /** One verb and path template of the REST DSL, served by its route's consumer. */
    record Operation(String method, PathTemplate template, KubeServerConsumer consumer) {}

    /** The header that tells the fallback route which methods the path has (empty: none, a 404). */
    static final String ALLOWED_METHODS = "ClusterConnectAllowedMethods";

    private final String basePath;
    private final List<Operation> operations = new CopyOnWriteArrayList<>();
    private volatile KubeServerConsumer fallback;

    RestOperations(String basePath) {
        this.basePath = basePath;
    }

    void add(Operation operation) {
        for (Operation known : operations) {
            if (known.method().equals(operation.method())
                    && known.template().toString().equals(operation.template().toString())) {
                throw new IllegalStateException(
                        "two REST operations for " + operation.method() + " " + basePath + operation.template());
            }
        }
        operations.add(operation);
    }

    /**
     * The consumer of a plain route on the same base path, which then gets the requests no
     * operation matches (with {@link #ALLOWED_METHODS}): its steps run first (the relay audits
     * and authenticates them) and it answers with {@link RestRefusal}. Null: answered here.
     */
    void fallback(KubeServerConsumer consumer) {
        if (consumer != null && fallback != null) {
            throw new IllegalStateException("two routes for the unmatched requests of " + basePath);
        }
        fallback = consumer;
    }

    KubeServerConsumer fallback() {
        return fallback;
    }

    boolean hasOperations() {
        return !operations.isEmpty();
    }

    /** Removes the consumer's operation; true when none is left. */
    boolean remove(KubeServerConsumer consumer) {
        operations.removeIf(operation -> operation.consumer() == consumer);
        return operations.isEmpty();
    }

    @Override
    public void handle(HttpCall call, Responder responder) {
        String path = call.head().path();
        String relative = basePath.equals("/") ? path : path.substring(basePath.length());
        TreeSet<String> allowed = new TreeSet<>();
        for (Operation operation : operations) {
            Map<String, String> parameters = operation.template().match(relative);
            if (parameters == null) {
                continue;
            }
            if (operation.method().equals(call.head().method())) {
                operation.consumer().handle(call, responder, parameters);
                return;
            }
            allowed.add(operation.method());
        }
        KubeServerConsumer unmatched = fallback;
        if (unmatched != null) {
            unmatched.handle(call, responder, Map.of(ALLOWED_METHODS, String.join(", ", allowed)));
            return;
        }
        // Like any refusal before a route: the body is not read, so the connection closes after it.
        // No route saw it, so the access line is written here: probing the API leaves a trace.
        KubeStatusException refusal = allowed.isEmpty()
                ? new KubeStatusException(404, "the server could not find the requested resource (" + path + ")")
                : new KubeStatusException(
                        405,
                        call.head().method() + " is not allowed on " + path + "; allowed: "
                                + String.join(", ", allowed));
        dev.clusterconnect.routes.http.AccessLog.replied("rest " + basePath, call, refusal.code(), System.nanoTime());
        responder.fail(refusal, false);
    }
}
