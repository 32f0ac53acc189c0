package dev.clusterconnect.routes.http;

import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One INFO line per request and hop, written when the reply head goes out: the id shared by all
 * hops, the route that served it, method, path (never the query, which may carry label values or
 * tokens of other protocols), status and time to the reply head. Its own logger, so operators can
 * route or silence access lines apart from the rest.
 */
public final class AccessLog {

    /** Name of the logger the access lines go to. */
    public static final String LOGGER = "dev.clusterconnect.access";

    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    private AccessLog() {}

    /**
     * @param hop the route id that served the request ({@code proxy-local}, {@code relay-clients}, ...)
     * @param startNanos {@link System#nanoTime()} when the request arrived
     */
    public static void replied(String hop, HttpCall call, int status, long startNanos) {
        dev.clusterconnect.routes.metrics.Metrics.request(hop, call, status, startNanos);
        if (LOG.isInfoEnabled()) {
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
            LOG.info(
                    "[{}] {} {} {} {} {}ms",
                    call.correlationId(),
                    hop,
                    call.head().method(),
                    call.head().path(),
                    status,
                    millis);
        }
    }
}
