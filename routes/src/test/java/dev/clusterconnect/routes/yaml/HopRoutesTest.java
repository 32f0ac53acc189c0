package dev.clusterconnect.routes.yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clusterconnect.routes.status.Forbidden;
import dev.clusterconnect.routes.status.KubeStatusException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built-in routes, and the operator's files that replace or extend them by id. */
class HopRoutesTest {

    private static final String BUILT_IN = "classpath:hoproutes/builtin.camel.yaml";

    @TempDir
    Path dir;

    private CamelContext context;

    @AfterEach
    void stop() {
        if (context != null) {
            context.stop();
        }
    }

    @Test
    void withoutOperatorFilesTheBuiltInRoutesRun() throws Exception {
        start(null);

        assertEquals("in first last", send("direct:hop"));
        assertEquals("built-in other", send("direct:other"));
    }

    @Test
    void aRouteWithABuiltInIdReplacesItAndTheOthersStay() throws Exception {
        write("10-hop.yaml", """
                - route:
                    id: hop
                    from:
                      uri: "direct:hop"
                      steps:
                        - process: {ref: first}
                        - transform: {simple: "${body} replaced"}
                        - process: {ref: last}
                """);
        start(dir);

        assertEquals("in first replaced last", send("direct:hop"));
        assertEquals("built-in other", send("direct:other"));
        assertEquals(2, context.getRoutes().size());
    }

    @Test
    void aReplacementThatDropsAGuardStepIsRefused() throws Exception {
        Path file = write("weak.yaml", """
                - route:
                    id: hop
                    from:
                      uri: "direct:hop"
                      steps:
                        - process: {ref: last}
                """);

        RouteFileException e = assertThrows(RouteFileException.class, () -> start(dir));

        assertEquals(
                file + ", line 2: route hop is a hop that must keep its steps first, last in that order, "
                        + "each a step of the route itself; first is missing",
                e.getMessage());
    }

    @Test
    void aBuiltInHopThatMissesItsOwnGuardStepsStopsStartUp() {
        context = new DefaultCamelContext();
        context.getRegistry().bind("first", (Processor) exchange -> {});
        context.getRegistry().bind("last", (Processor) exchange -> {});

        RouteFileException e = assertThrows(
                RouteFileException.class,
                () -> context.addRoutes(
                        new HopRoutes("test", List.of(BUILT_IN), List.of(), Map.of("other", List.of("first")))));

        assertTrue(
                e.getMessage()
                        .endsWith(
                                "route other is a hop that must keep its steps first in that order, each a step of the route itself; first is missing"),
                e.getMessage());
    }

    @Test
    void aReplacementThatReordersGuardStepsOrHidesOneInABranchIsRefused() throws Exception {
        write("reordered.yaml", """
                - route:
                    id: hop
                    from:
                      uri: "direct:hop"
                      steps:
                        - process: {ref: last}
                        - process: {ref: first}
                """);
        assertTrue(assertThrows(RouteFileException.class, () -> start(dir))
                .getMessage()
                .endsWith("last is out of order"));

        Files.delete(dir.resolve("reordered.yaml"));
        write("branch.yaml", """
                - route:
                    id: hop
                    from:
                      uri: "direct:hop"
                      steps:
                        - filter:
                            simple: "${body} == 'never'"
                            steps:
                              - process: {ref: first}
                        - process: {ref: last}
                """);
        assertTrue(assertThrows(RouteFileException.class, () -> start(dir))
                .getMessage()
                .endsWith("first is missing"));
    }

    @Test
    void aRouteFromTheExtraStepsEndpointAddsStepsInTheMiddleOfAHop() throws Exception {
        write("extra.yaml", """
                - route:
                    id: hop-extra
                    from:
                      uri: "direct:hop-extra-steps"
                      steps:
                        - transform: {simple: "${body} extra"}
                """);
        start(dir);

        assertEquals("in first extra last", send("direct:hop"));
    }

    @Test
    void anExtraStepCanRefuseWithAKubernetesStatus() throws Exception {
        write("refuse.yaml", """
                - route:
                    from:
                      uri: "direct:hop-extra-steps"
                      steps:
                        - filter:
                            simple: "${body} contains 'prod-'"
                            steps:
                              - throwException:
                                  exceptionType: dev.clusterconnect.routes.status.Forbidden
                                  message: "prod- namespaces are not deleted through clusterconnect"
                """);
        start(dir);

        assertEquals("ok first last", send("direct:hop", "ok"));
        CamelExecutionException refused =
                assertThrows(CamelExecutionException.class, () -> send("direct:hop", "prod-a"));
        KubeStatusException status = assertInstanceOfCause(refused);
        assertEquals(403, status.code());
        assertEquals("prod- namespaces are not deleted through clusterconnect", status.getMessage());
    }

    @Test
    void aFileThatDoesNotParseNamesItselfAndTheLine() throws Exception {
        Path file = write("broken.yaml", """
                - route:
                    id: hop
                    from:
                      uri: "direct:hop"
                      steps:
                        - process: {ref: last
                """);

        RouteFileException e = assertThrows(RouteFileException.class, () -> start(dir));

        assertEquals(file + ", line 7, column 1: expected ',' or '}', but got <stream end>", e.getMessage());
    }

    @Test
    void anUnknownStepNamesTheFileTheLineAndTheStepsThereAre() throws Exception {
        Path file = write("typo.yaml", """
                - route:
                    id: hop
                    from:
                      uri: "direct:hop"
                      steps:
                        - process: {ref: first}
                        - process: {ref: lsat}
                """);

        RouteFileException e = assertThrows(RouteFileException.class, () -> start(dir));

        assertEquals(
                file + ", line 7: route hop names step lsat, which is not a bean here; the steps are: first, last",
                e.getMessage());
    }

    @Test
    void anUnknownDslElementNamesTheFile() throws Exception {
        Path file = write("unknown.yaml", """
                - route:
                    id: hop
                    from:
                      uri: "direct:hop"
                      steps:
                        - procss: {ref: first}
                """);

        RouteFileException e = assertThrows(RouteFileException.class, () -> start(dir));

        assertTrue(e.getMessage().startsWith(file + ", line 6, column 11: Unknown node id: procss"), e.getMessage());
    }

    @Test
    void twoOperatorRoutesWithOneIdAreRefused() throws Exception {
        String route = """
                - route:
                    id: hop
                    from:
                      uri: "direct:hop"
                      steps:
                        - process: {ref: first}
                        - process: {ref: last}
                """;
        write("a.yaml", route);
        write("b.yaml", route.replace("direct:hop", "direct:hop2"));

        RouteFileException e = assertThrows(RouteFileException.class, () -> start(dir));

        assertEquals(
                dir.resolve("b.yaml") + ": route id hop is also used in " + dir.resolve("a.yaml")
                        + "; an id names one route",
                e.getMessage());
    }

    @Test
    void hiddenEntriesAndOtherFilesOfAMountedConfigMapAreLeftOut() throws Exception {
        Files.createDirectories(dir.resolve("..2026_12_07_14_00_00.1"));
        write("..data", "not: routes");
        write(".hidden.yaml", "- nonsense");
        write("README.txt", "- nonsense");
        start(dir);

        assertEquals("in first last", send("direct:hop"));
    }

    @Test
    void aDirectoryThatIsNamedButMissingIsRefused() {
        RouteFileException e = assertThrows(RouteFileException.class, () -> start(dir.resolve("missing")));

        assertEquals("test.routes.dir names " + dir.resolve("missing") + ", which is not a directory", e.getMessage());
    }

    private static KubeStatusException assertInstanceOfCause(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof Forbidden status) {
                return status;
            }
        }
        throw new AssertionError("no Forbidden in " + e, e);
    }

    private Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    private void start(Path routesDir) throws Exception {
        context = new DefaultCamelContext();
        Properties properties = new Properties();
        if (routesDir != null) {
            properties.setProperty("test.routes.dir", routesDir.toString());
        }
        context.getPropertiesComponent().setInitialProperties(properties);
        context.getRegistry().bind("first", (Processor)
                exchange -> exchange.getMessage().setBody(exchange.getMessage().getBody(String.class) + " first"));
        context.getRegistry().bind("last", (Processor)
                exchange -> exchange.getMessage().setBody(exchange.getMessage().getBody(String.class) + " last"));
        context.addRoutes(new HopRoutes(
                "test", List.of(BUILT_IN), List.<RouteBuilder>of(), Map.of("hop", List.of("first", "last"))));
        context.start();
    }

    private String send(String uri) {
        return send(uri, "in");
    }

    private String send(String uri, String body) {
        return context.createProducerTemplate().requestBody(uri, body, String.class);
    }
}
