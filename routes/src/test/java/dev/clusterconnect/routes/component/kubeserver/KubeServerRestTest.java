package dev.clusterconnect.routes.component.kubeserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Camel's REST DSL on kubeserver: each verb is served by its route, chosen by method and path template. */
class KubeServerRestTest {

    private final HttpClient client = HttpClient.newHttpClient();
    private CamelContext camel;
    private int port;

    @BeforeEach
    void serve() throws Exception {
        camel = new DefaultCamelContext();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                restConfiguration()
                        .component("kubeserver")
                        .host("127.0.0.1")
                        .port(0)
                        .endpointProperty(KubeServerComponent.EDGE_PROPERTY, "headerTimeout=7000&idleTimeout=8000");
                rest("/api/v1")
                        .get("/things")
                        .to("direct:list")
                        .get("/things/{id}/parts/{name}")
                        .to("direct:part")
                        .delete("/things/{id}")
                        .to("direct:delete");
                from("direct:list").routeId("list").setBody(constant("all things"));
                from("direct:part").routeId("part").setBody(simple("part ${header.name} of ${header.id}"));
                from("direct:delete").routeId("delete").setBody(simple("deleted ${header.id}"));
            }
        });
        camel.start();
        port = endpoint("list").boundPort();
    }

    @AfterEach
    void stop() {
        camel.stop();
    }

    @Test
    void eachVerbGetsItsRequestsWithThePathParametersAsHeaders() throws Exception {
        assertThat(send("GET", "/api/v1/things").body()).isEqualTo("all things");
        assertThat(send("GET", "/api/v1/things/t%201/parts/wheel").body()).isEqualTo("part wheel of t 1");
        HttpResponse<String> deleted = send("DELETE", "/api/v1/things/t1");
        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(deleted.body()).isEqualTo("deleted t1");
    }

    @Test
    void aPathNoVerbHasIsA404StatusAndAKnownPathWithAnotherMethodA405() throws Exception {
        for (String path : new String[] {
            "/api/v1/nothing", "/api/v1/things/", "/api/v1/things/t1/parts", "/api/v1/things//parts/x", "/api/v1"
        }) {
            HttpResponse<String> unknown = send("GET", path);
            assertThat(unknown.statusCode()).as(path).isEqualTo(404);
            assertThat(unknown.body()).as(path).contains("\"kind\":\"Status\"");
        }
        HttpResponse<String> wrongMethod = send("POST", "/api/v1/things");
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.body())
                .contains("\"kind\":\"Status\"")
                .contains("POST is not allowed on /api/v1/things; allowed: GET");
        assertThat(send("GET", "/api/v1/things/t1").statusCode())
                .as("DELETE only")
                .isEqualTo(405);
    }

    @Test
    void theEdgePropertyConfiguresTheSocketAsARouteUriWould() {
        assertThat(endpoint("part").getHeaderTimeout()).isEqualTo(7000);
        assertThat(endpoint("delete").getIdleTimeout()).isEqualTo(8000);
        assertThat(endpoint("delete").boundPort()).as("one socket").isEqualTo(port);
    }

    private KubeServerEndpoint endpoint(String route) {
        return (KubeServerEndpoint) camel.getRoute(route).getConsumer().getEndpoint();
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
