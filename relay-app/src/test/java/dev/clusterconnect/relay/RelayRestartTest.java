package dev.clusterconnect.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the API registered survives a restart of the relay, on the embedded H2 file and on the
 * real PostgreSQL at 127.0.0.1:5432 (user postgres; a database with a random name, dropped after).
 */
class RelayRestartTest {

    static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/";

    @TempDir
    Path dir;

    @Test
    void clustersAndGrantsSurviveARestartOnTheH2File() throws Exception {
        survivesRestart(Map.of("relay.db.dir", dir.resolve("h2").toString()));
    }

    @Test
    void clustersAndGrantsSurviveARestartOnPostgresql() throws Exception {
        String name = "relay_restart_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
        administer("CREATE DATABASE " + name);
        try {
            survivesRestart(Map.of("relay.db.url", POSTGRES + name, "relay.db.username", "postgres"));
        } finally {
            administer("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    private void survivesRestart(Map<String, String> database) throws Exception {
        try (TestIssuer issuer = new TestIssuer(dir)) {
            String alice = issuer.token("alice");
            String id;
            try (TestRelay first = TestRelay.start(dir, issuer, database)) {
                id = first.createCluster(alice, "durable");
                assertThat(first.post(
                                        "/api/v1/clusters/" + id + "/grants",
                                        alice,
                                        "{\"kind\":\"GROUP\",\"subject\":\"ops\"}")
                                .status())
                        .isEqualTo(201);
            }
            try (TestRelay second = TestRelay.start(dir, issuer, database)) {
                var cluster = second.get("/api/v1/clusters/" + id, alice).json();
                assertThat(cluster.get("name").asText()).isEqualTo("durable");
                assertThat(cluster.get("owner").asText()).isEqualTo("alice");
                assertThat(second.get("/api/v1/clusters/" + id + "/grants", alice)
                                .json()
                                .get("items")
                                .get(0)
                                .get("subject")
                                .asText())
                        .isEqualTo("ops");
                // the group grant still admits a member at the client route (503: no agent here, but past the checks)
                assertThat(second.get("/clusters/" + id + "/api/v1/pods", issuer.token("olga", "ops"))
                                .status())
                        .isEqualTo(503);
            }
        }
    }

    private static void administer(String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(POSTGRES + "postgres", "postgres", null);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
