package dev.clusterconnect.routes.component.kubeserver;

import dev.clusterconnect.routes.ClusterConnectHeaders;
import dev.clusterconnect.routes.http.AccessLog;
import dev.clusterconnect.routes.http.HttpCall;
import dev.clusterconnect.routes.http.HttpReply;
import dev.clusterconnect.routes.http.ResponseHead;
import dev.clusterconnect.routes.status.KubeStatusException;
import dev.clusterconnect.routes.status.StatusMapping;
import dev.clusterconnect.routes.stream.BytesSource;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;

/**
 * Turns each request into one exchange whose body is the {@link HttpCall}, and writes what the
 * route answers: an {@link HttpReply} (streamed), a plain body with a status header, or a
 * Kubernetes Status for an exception. The request's bytes never become exchanges.
 */
public final class KubeServerConsumer extends DefaultConsumer implements RequestTarget {

    /** Requests of this route between arriving and their reply head (maxConcurrentRequests). */
    private final AtomicInteger inProgress = new AtomicInteger();
    /** The REST operation this consumer serves (REST DSL), or null for every request under the endpoint's path prefix. */
    private final String restMethod;

    private final PathTemplate restPath;
    /** The endpoint's named ports by the port each got (namedPorts); empty without. */
    private volatile java.util.Map<Integer, String> portNames = java.util.Map.of();

    public KubeServerConsumer(KubeServerEndpoint endpoint, Processor processor) {
        this(endpoint, processor, null, null);
    }

    /** A consumer of one REST DSL operation: {@code method} and {@code pathTemplate} under the endpoint's path prefix. */
    KubeServerConsumer(KubeServerEndpoint endpoint, Processor processor, String method, String pathTemplate) {
        super(endpoint, processor);
        this.restMethod = method;
        this.restPath = pathTemplate == null ? null : new PathTemplate(pathTemplate);
    }

    @Override
    public KubeServerEndpoint getEndpoint() {
        return (KubeServerEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        if (restMethod != null) {
            getEndpoint().getComponent().attachRest(getEndpoint(), restMethod, restPath, this);
        } else {
            portNames = java.util.Map.copyOf(getEndpoint().getComponent().attach(getEndpoint(), this));
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (restMethod != null) {
            getEndpoint().getComponent().detachRest(getEndpoint(), this);
        } else {
            getEndpoint().getComponent().detach(getEndpoint());
        }
        super.doStop();
    }

    @Override
    public void handle(HttpCall call, Responder responder) {
        handle(call, responder, java.util.Map.of());
    }

    /** A request with the path parameters of its REST operation, which become message headers as in Camel's REST DSL. */
    void handle(HttpCall call, Responder responder, java.util.Map<String, String> pathParameters) {
        long start = System.nanoTime();
        int max = getEndpoint().getMaxConcurrentRequests();
        if (max > 0 && inProgress.incrementAndGet() > max) {
            // Refused on the event loop, before any thread hop or store call of the route: a
            // storm of requests (agents reconnecting at once) must not queue up behind itself.
            inProgress.decrementAndGet();
            KubeStatusException busy = KubeStatusException.tooManyRequests(
                    "this server is busy: at most " + max + " requests to "
                            + getEndpoint().getPathPrefix() + " are served at once; retry later",
                    1);
            logAccess(call, busy.code(), start);
            responder.fail(busy, true);
            return;
        }
        Exchange exchange = createExchange(false);
        exchange.getMessage().setBody(call);
        exchange.getMessage().setHeader(ClusterConnectHeaders.CORRELATION_ID, call.correlationId());
        exchange.getMessage()
                .setHeader(ClusterConnectHeaders.METHOD, call.head().method());
        exchange.getMessage().setHeader(ClusterConnectHeaders.PATH, call.head().path());
        exchange.getMessage().setHeader(ClusterConnectHeaders.QUERY, call.head().query());
        pathParameters.forEach(exchange.getMessage()::setHeader);
        if (!portNames.isEmpty()) {
            call.connection()
                    .map(connection -> connection.localAddress() instanceof java.net.InetSocketAddress local
                            ? portNames.get(local.getPort())
                            : null)
                    .ifPresent(name -> exchange.getMessage().setHeader(ClusterConnectHeaders.PORT_NAME, name));
        }
        getAsyncProcessor().process(exchange, doneSync -> {
            try {
                if (max > 0) {
                    inProgress.decrementAndGet();
                }
                reply(exchange, call, responder, start);
            } finally {
                releaseExchange(exchange, false);
            }
        });
    }

    private void reply(Exchange exchange, HttpCall call, Responder responder, long start) {
        Exception failure = exchange.getException();
        if (failure != null) {
            KubeStatusException status = StatusMapping.answer(failure, call);
            logAccess(call, status.code(), start);
            responder.fail(status, true);
            return;
        }
        Object body = exchange.getMessage().getBody();
        // Never log the body itself: enrolment and kubeconfig replies carry credentials.
        HttpReply reply = body instanceof HttpReply streamed ? streamed : plainReply(exchange, body);
        logAccess(call, reply.head().status(), start);
        responder.respond(reply);
    }

    /** Requests of this route in progress now (counted only while maxConcurrentRequests is set). */
    int inProgress() {
        return inProgress.get();
    }

    private void logAccess(HttpCall call, int status, long start) {
        if (getEndpoint().isAccessLog()) {
            AccessLog.replied(getRouteId(), call, status, start);
        }
    }

    private static HttpReply plainReply(Exchange exchange, Object body) {
        int code = exchange.getMessage().getHeader(ClusterConnectHeaders.RESPONSE_CODE, 200, Integer.class);
        byte[] bytes = body == null
                ? new byte[0]
                : body instanceof byte[] raw
                        ? raw
                        : exchange.getContext()
                                .getTypeConverter()
                                .convertTo(String.class, exchange, body)
                                .getBytes(StandardCharsets.UTF_8);
        ResponseHead head = ResponseHead.of(code);
        String type =
                exchange.getMessage().getHeader(ClusterConnectHeaders.CONTENT_TYPE, "application/json", String.class);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        head.headers().set(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        return new HttpReply(head, new BytesSource(bytes));
    }
}
