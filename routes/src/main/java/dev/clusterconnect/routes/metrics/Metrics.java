package dev.clusterconnect.routes.metrics;

import dev.clusterconnect.routes.http.HttpCall;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The process's Prometheus metrics, served at {@code /metrics} on the health port. Labels are
 * low-cardinality on purpose: hop, verb class, status class, refusal reason; never a user, a path
 * or an object name.
 */
public final class Metrics {

    /** One registry per process: the apps of one JVM (tests, demo) share it, told apart by hop. */
    public static final PrometheusMeterRegistry REGISTRY = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    private Metrics() {}

    /** A request answered by a hop: counted by verb and status class, timed to its reply head. */
    public static void request(String hop, HttpCall call, int status, long startNanos) {
        String verb = verbClass(call);
        String statusClass = (status / 100) + "xx";
        Counter.builder("clusterconnect_requests")
                .description("Requests answered, by hop, verb class and status class")
                .tag("hop", hop)
                .tag("verb", verb)
                .tag("status", statusClass)
                .register(REGISTRY)
                .increment();
        Timer.builder("clusterconnect_request_duration")
                .description("Time from request to reply head")
                .tag("hop", hop)
                .tag("verb", verb)
                .publishPercentileHistogram()
                .serviceLevelObjectives(
                        Duration.ofMillis(5), Duration.ofMillis(25), Duration.ofMillis(100), Duration.ofSeconds(1))
                .register(REGISTRY)
                .record(Duration.ofNanos(System.nanoTime() - startNanos));
    }

    /**
     * A request that ended at the relay, per cluster: count and bytes each way. Cluster ids are a
     * bounded set the operator registered, unlike users or paths.
     */
    public static void clusterTraffic(String clusterId, long bytesIn, long bytesOut) {
        String cluster = clusterId == null ? "none" : clusterId;
        Counter.builder("clusterconnect_cluster_requests")
                .description("Requests through the relay, by cluster")
                .tag("cluster", cluster)
                .register(REGISTRY)
                .increment();
        Counter.builder("clusterconnect_bytes")
                .description("Body bytes through the relay, by cluster and direction")
                .tag("cluster", cluster)
                .tag("direction", "in")
                .register(REGISTRY)
                .increment(bytesIn);
        Counter.builder("clusterconnect_bytes")
                .description("Body bytes through the relay, by cluster and direction")
                .tag("cluster", cluster)
                .tag("direction", "out")
                .register(REGISTRY)
                .increment(bytesOut);
    }

    /** Time a stream's writer waited for flow-control credit (its peer was not reading). */
    public static void creditWait(long nanos) {
        Timer.builder("clusterconnect_flow_control_wait")
                .description("Time streams waited for flow-control credit")
                .register(REGISTRY)
                .record(Duration.ofNanos(nanos));
    }

    /** A caller refused, by reason (the refusal's low-cardinality label). */
    public static void authenticationFailure(String reason) {
        Counter.builder("clusterconnect_authentication_failures")
                .description("Callers refused, by reason")
                .tag("reason", reason)
                .register(REGISTRY)
                .increment();
    }

    /** The agent lost its tunnel and dials again. */
    public static void reconnect() {
        Counter.builder("clusterconnect_tunnel_reconnects")
                .description("Times the agent dialled the relay again")
                .register(REGISTRY)
                .increment();
    }

    /** A gauge read when scraped (tunnels connected, streams open). */
    public static void gauge(String name, String description, String hop, Supplier<Number> value) {
        // The last app started wins: a restarted app (or the next one in a test JVM) replaces it.
        REGISTRY.find(name).tag("hop", hop).meters().forEach(REGISTRY::remove);
        Gauge.builder(name, () -> value.get().doubleValue())
                .description(description)
                .tag("hop", hop)
                .register(REGISTRY);
    }

    /** The Prometheus text exposition. */
    public static String scrape() {
        return REGISTRY.scrape();
    }

    private static String verbClass(HttpCall call) {
        if (call.head().isUpgrade()) {
            return "upgrade";
        }
        String query = call.head().query();
        if (query.contains("watch=1") || query.contains("watch=true") || query.contains("follow=true")) {
            return "stream";
        }
        String method = call.head().method();
        return method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS") ? "read" : "write";
    }
}
