package dev.clusterconnect.proxy;

import org.apache.camel.builder.RouteBuilder;

/** The proxy's hop: kubectl's requests on 127.0.0.1 go to the relay with the user's token. */
public final class ProxyRouteBuilder extends RouteBuilder {

    @Override
    public void configure() {
        from("kubeserver:{{proxy.listen.host}}:{{proxy.listen.port}}?sslContext=#localTls")
                .routeId("proxy-local")
                .process("userToken")
                .to("kubeclient:relay?upstream=#relay");
    }
}
