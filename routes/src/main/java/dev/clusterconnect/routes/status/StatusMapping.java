package dev.clusterconnect.routes.status;

import dev.clusterconnect.routes.http.HttpCall;
import dev.clusterconnect.routes.identity.Authentication;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.camel.ExchangeTimedOutException;
import org.apache.camel.RuntimeCamelException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place a failure becomes the Kubernetes {@code Status} a client is answered with. Every
 * consumer that writes an answer, and the relay's audit line, ask here, so the code a client
 * reads and the code the audit records are the same decision.
 *
 * <p>The cause chain is walked outwards in: the first exception of a known kind decides, whatever
 * wraps it (Camel's {@link RuntimeCamelException}s, a future's {@link CompletionException} or
 * {@link ExecutionException}, or a library's own exception around one of ours).
 * <ul>
 *   <li>a {@link KubeStatusException}: an answer a step chose, as it is;</li>
 *   <li>a {@link RejectedExecutionException}: a bounded pool is full, 503 with {@code Retry-After},
 *       since the load passes and client-go retries a 5xx that carries one;</li>
 *   <li>a timeout ({@link TimeoutException}, Camel's {@link ExchangeTimedOutException}): 504;</li>
 *   <li>anything else: 500 "internal error" naming the request id, and never the exception's text,
 *       which can quote input, hosts or paths the client has no business seeing.</li>
 * </ul>
 * Identity refusals are values, not exceptions; {@link #refused} turns them into their answer.
 */
public final class StatusMapping {

    private static final Logger LOG = LoggerFactory.getLogger(StatusMapping.class);

    /** What a full pool asks the client to wait: long enough for a burst to drain, short for kubectl. */
    static final int RETRY_AFTER_SECONDS = 1;
    /** A cause chain longer than this is a loop or a bug; past it nothing more is known. */
    private static final int MAX_DEPTH = 32;

    private StatusMapping() {}

    /**
     * The status {@code failure} answers with; logs nothing, so it may be asked more than once
     * per request (the audit line, then the consumer).
     *
     * @param failure the exchange's exception; null (a route that ended without a reply) is a 500
     * @param correlationId the request id, which the 500's message names so an operator finds the log line
     */
    public static KubeStatusException of(Throwable failure, String correlationId) {
        KubeStatusException known = known(failure);
        return known != null ? known : internalError(correlationId);
    }

    /**
     * As {@link #of}, for the consumer that writes the answer: an unknown failure is logged here,
     * once, at ERROR with its stack.
     */
    public static KubeStatusException answer(Throwable failure, HttpCall call) {
        KubeStatusException known = known(failure);
        if (known != null) {
            return known;
        }
        if (failure == null) {
            LOG.error(
                    "[{}] {} {}: the route ended without a reply",
                    call.correlationId(),
                    call.head().method(),
                    call.head().path());
        } else {
            LOG.error(
                    "[{}] {} {} failed",
                    call.correlationId(),
                    call.head().method(),
                    call.head().path(),
                    failure);
        }
        return internalError(call.correlationId());
    }

    /** A refusal for load: 503 with {@code Retry-After}, the message saying what was too busy. */
    public static KubeStatusException busy(String message) {
        return KubeStatusException.serviceUnavailable(message, RETRY_AFTER_SECONDS);
    }

    /** The answer to a refused bearer token: its reason's status and its message (which never quotes the token). */
    public static KubeStatusException refused(Authentication.Refused refusal) {
        return new KubeStatusException(refusal.httpStatus(), refusal.message());
    }

    private static KubeStatusException known(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure;
                t != null && depth < MAX_DEPTH;
                t = t.getCause() == t ? null : t.getCause(), depth++) {
            if (t instanceof KubeStatusException status) {
                return status;
            }
            if (t instanceof RejectedExecutionException) {
                return busy("the server is too busy now; try again shortly");
            }
            if (t instanceof TimeoutException || t instanceof ExchangeTimedOutException) {
                return new KubeStatusException(504, "the server did not finish the request in time");
            }
        }
        return null;
    }

    private static KubeStatusException internalError(String correlationId) {
        return new KubeStatusException(500, "internal error (request id " + correlationId + ")");
    }
}
