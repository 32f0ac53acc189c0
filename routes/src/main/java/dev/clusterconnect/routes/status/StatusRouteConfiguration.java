package dev.clusterconnect.routes.status;

import org.apache.camel.builder.RouteConfigurationBuilder;

/**
 * Error handling shared by every route of an app: one path, {@link StatusMapping}. Any exception
 * stays on the exchange for the consumer that received the request, which answers with
 * {@link StatusMapping#answer} and logs there: a {@link KubeStatusException} (a bad token's 401, a
 * refused 403, an unready probe's 503), a full pool or a timeout is an answer recorded by the
 * access line; anything else is logged once, at ERROR with its stack. Camel's error handler logs
 * nothing, so a failure is never logged twice or with the message history.
 */
public final class StatusRouteConfiguration extends RouteConfigurationBuilder {

    @Override
    public void configuration() {
        routeConfiguration()
                .onException(Exception.class)
                .handled(false)
                .logExhausted(false)
                .logStackTrace(false);
    }
}
