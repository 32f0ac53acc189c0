package dev.clusterconnect.routes.component.kubeclient;

import dev.clusterconnect.routes.http.HttpCall;
import dev.clusterconnect.routes.http.RequestIds;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * A {@code kubeserver:} edge whose route forwards to {@code kubeclient:up} and on to a
 * {@link ScriptedUpstream}, as the proxy does; the client's timeout only stops a hung test.
 */
final class EdgeToScriptedUpstream implements AutoCloseable {

    static final String TOKEN = "Bearer sekret-token-value";

    final ScriptedUpstream upstream;
    private final String kubeclient;
    private final CamelContext camel = new DefaultCamelContext();
    private final HttpClient client =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final int port;

    /** @param options query options of the {@code kubeclient:} endpoint, e.g. {@code &responseHeadTimeout=300ms} */
    EdgeToScriptedUpstream(String options, ScriptedUpstream.Script... scripts) throws Exception {
        upstream = new ScriptedUpstream(scripts);
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        kubeclient = "kubeclient:up?upstream=#upstream" + options;
        camel.getRegistry().bind("upstream", new Upstream("127.0.0.1", upstream.port(), null, ""));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("kubeserver:127.0.0.1:" + port + "/api")
                        .routeId("edge")
                        .process(exchange ->
                                RequestIds.stamp(exchange.getMessage().getBody(HttpCall.class)))
                        .to(kubeclient);
            }
        });
        camel.start();
    }

    int port() {
        return port;
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", TOKEN)
                .timeout(Duration.ofSeconds(10));
    }

    HttpResponse<String> get(String path) throws Exception {
        return client.send(request(path).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Returns at the response head; the body streams on. */
    HttpResponse<InputStream> open(String path) throws Exception {
        return client.send(request(path).build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    /** Sends {@code call} straight to the {@code kubeclient:} endpoint, without the edge. */
    Exchange call(HttpCall call) {
        return camel.createProducerTemplate()
                .send(kubeclient, e -> e.getMessage().setBody(call));
    }

    @Override
    public void close() throws IOException {
        camel.stop();
        upstream.close();
    }
}
