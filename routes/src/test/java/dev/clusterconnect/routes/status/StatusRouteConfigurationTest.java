package dev.clusterconnect.routes.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clusterconnect.routes.component.kubeclient.CapturedLog;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

class StatusRouteConfigurationTest {

    @Test
    void aStatusAnswerStaysOnTheExchangeAndIsNotLoggedAsAnError() throws Exception {
        try (CamelContext context = new DefaultCamelContext();
                CapturedLog camel = new CapturedLog("org.apache.camel")) {
            context.addRoutes(new StatusRouteConfiguration());
            context.addRoutes(routes());
            context.start();

            Exchange refused = context.createProducerTemplate().send("direct:refuse", e -> {});

            assertThat(refused.getException()).isInstanceOf(KubeStatusException.class);
            assertThat(((KubeStatusException) refused.getException()).code()).isEqualTo(503);
            assertThat(camel.lines()).noneMatch(line -> line.startsWith("ERROR") || line.startsWith("WARN"));
        }
    }

    @Test
    void anyOtherFailureStaysOnTheExchangeForTheConsumerToLogOnce() throws Exception {
        try (CamelContext context = new DefaultCamelContext();
                CapturedLog camel = new CapturedLog("org.apache.camel")) {
            context.addRoutes(new StatusRouteConfiguration());
            context.addRoutes(routes());
            context.start();

            Exchange failed = context.createProducerTemplate().send("direct:fail", e -> {});

            assertThat(failed.getException()).isInstanceOf(IllegalStateException.class);
            // StatusMapping.answer logs it, once, at the consumer (StatusMappingTest)
            assertThat(camel.lines()).noneMatch(line -> line.startsWith("ERROR") || line.startsWith("WARN"));
        }
    }

    private static RouteBuilder routes() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:refuse")
                        .routeId("refuse")
                        .throwException(new KubeStatusException(503, "relay is not ready"));
                from("direct:fail").routeId("fail").throwException(new IllegalStateException("broken"));
            }
        };
    }
}
