package dev.clusterconnect.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An API operation is a route like a hop: a route file replaces it by id, and must keep its guards. */
class ApiRouteFilesTest {

    @TempDir
    Path dir;

    @Test
    void aRouteFileReplacesOneOperationAndTheRestVerbReachesIt() throws Exception {
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Files.writeString(routes.resolve("list.yaml"), listClusters("""
                        - process: {ref: auditTrail}
                        - process: {ref: authenticateCaller}
                """));
        try (TestIssuer issuer = new TestIssuer(dir)) {
            TestRelay relay = TestRelay.start(dir, issuer, Map.of("relay.routes.dir", routes.toString()));
            try {
                TestRelay.Answer listed = relay.get("/api/v1/clusters", issuer.token("olivia"));
                assertThat(listed.status()).isEqualTo(200);
                assertThat(listed.body()).isEqualTo("{\"items\":[],\"from\":\"the route file\"}");
                assertThat(relay.get("/api/v1/clusters", null).status())
                        .as("still authenticated")
                        .isEqualTo(401);
            } finally {
                relay.close();
            }
        }
    }

    @Test
    void aReplacementWithoutAuthenticationStopsStartUp() throws Exception {
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Files.writeString(routes.resolve("list.yaml"), listClusters("""
                        - process: {ref: auditTrail}
                """));
        try (TestIssuer issuer = new TestIssuer(dir)) {
            assertThatThrownBy(() -> TestRelay.start(dir, issuer, Map.of("relay.routes.dir", routes.toString())))
                    .hasStackTraceContaining(
                            "route relay-api-list-clusters is a hop that must keep its steps auditTrail, authenticateCaller")
                    .hasStackTraceContaining("authenticateCaller is missing");
        }
    }

    private static String listClusters(String guards) {
        return """
                - route:
                    id: relay-api-list-clusters
                    from:
                      uri: direct:relay-api-list-clusters
                      steps:
                """ + guards + """
                        - setBody: {constant: '{"items":[],"from":"the route file"}'}
                """;
    }
}
