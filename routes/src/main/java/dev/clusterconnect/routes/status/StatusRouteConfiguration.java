package dev.clusterconnect.routes.status;

import org.apache.camel.builder.RouteConfigurationBuilder;

/**
 * Error handling shared by every route of an app. A {@link KubeStatusException} is an answer (a
 * bad token's 401, a refused 403, an unready probe's 503), not a failure: it stays on the exchange
 * for the consumer to write as a {@code Status}, and Camel's error handler does not log it at
 * ERROR with the message history. The consumer's access line records it; anything else still
 * reaches the error handler and the consumer's ERROR line.
 */
public final class StatusRouteConfiguration extends RouteConfigurationBuilder {

    @Override
    public void configuration() {
        routeConfiguration()
                .onException(KubeStatusException.class)
                .handled(false)
                .logExhausted(false)
                .logStackTrace(false);
    }
}
