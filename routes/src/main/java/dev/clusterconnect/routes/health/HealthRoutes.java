package dev.clusterconnect.routes.health;

import dev.clusterconnect.routes.ClusterConnectHeaders;
import dev.clusterconnect.routes.http.HttpCall;
import dev.clusterconnect.routes.status.KubeStatusException;
import java.util.function.BooleanSupplier;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

/**
 * Liveness and readiness for Kubernetes probes, on a plain-HTTP port of its own ({@code
 * <app>.health.port}, 0 for a free one): {@code /healthz/live} answers while the process serves
 * at all; {@code /healthz/ready} only while the app can do its job (the agent: its tunnel is up;
 * the relay: its database answers). The check is the bean {@code readiness}, a {@link BooleanSupplier}.
 */
public final class HealthRoutes extends RouteBuilder {

    private final String app;

    /** @param app the property prefix and route id prefix: {@code agent} or {@code relay} */
    public HealthRoutes(String app) {
        this.app = app;
    }

    @Override
    public void configure() {
        from("kubeserver:{{" + app + ".health.host:0.0.0.0}}:{{" + app + ".health.port}}?accessLog=false")
                .routeId(app + "-health")
                .process(this::answer);
    }

    private void answer(Exchange exchange) {
        HttpCall call = exchange.getMessage().getBody(HttpCall.class);
        String path = call.head().path();
        exchange.getMessage().setHeader(ClusterConnectHeaders.CONTENT_TYPE, "text/plain");
        if (path.equals("/healthz/live")) {
            exchange.getMessage().setBody("ok");
        } else if (path.equals("/healthz/ready")) {
            BooleanSupplier readiness =
                    exchange.getContext().getRegistry().lookupByNameAndType("readiness", BooleanSupplier.class);
            if (readiness != null && !readiness.getAsBoolean()) {
                throw new KubeStatusException(503, app + " is not ready");
            }
            exchange.getMessage().setBody("ready");
        } else if (path.equals("/healthz/metrics") || path.equals("/metrics")) {
            exchange.getMessage()
                    .setHeader(ClusterConnectHeaders.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
            exchange.getMessage().setBody(dev.clusterconnect.routes.metrics.Metrics.scrape());
        } else {
            throw new KubeStatusException(404, "health endpoints are /healthz/live, /healthz/ready and /metrics");
        }
    }
}
