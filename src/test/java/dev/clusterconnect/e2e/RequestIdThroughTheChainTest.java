package dev.clusterconnect.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.clusterconnect.routes.http.AccessLog;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;

/** One request id in the access lines of proxy, relay and agent: an operator greps one request through all hops. */
class RequestIdThroughTheChainTest {

    private static final Pattern ACCESS = Pattern.compile("INFO +" + Pattern.quote(AccessLog.LOGGER)
            + " - \\[([0-9a-f]{8,32})\\] (\\S+) (\\S+) (\\S+) (\\d{3}) (\\d+)ms");

    @Test
    void proxyRelayAndAgentLogTheSameIdWithMethodPathStatusAndDuration() throws Exception {
        try (CapturedLogs logs = CapturedLogs.start(Level.INFO);
                Chain chain = Chain.start("alice", "dev")) {
            chain.kubectl()
                    .run(
                            "get",
                            "configmaps",
                            "--namespace",
                            chain.namespace(),
                            "--selector",
                            "app=secret-looking-query")
                    .ok();

            String configMapsPath = "/api/v1/namespaces/" + chain.namespace() + "/configmaps";
            List<Access> lines = await().atMost(Duration.ofSeconds(10))
                    .until(
                            () -> accessLines(logs).stream()
                                    .filter(a -> a.path().endsWith(configMapsPath))
                                    .toList(),
                            found -> found.stream().map(Access::hop).distinct().count() == 3);
            Access atProxy = only(lines, "proxy-local");
            assertThat(atProxy.path()).isEqualTo("/clusters/" + chain.clusterId + configMapsPath);
            assertThat(atProxy.method()).isEqualTo("GET");
            assertThat(atProxy.status()).isEqualTo(200);
            Access atRelay = only(lines, "relay-clients");
            Access atAgent = only(lines, "agent-requests");
            assertThat(atRelay.id()).isEqualTo(atProxy.id());
            assertThat(atAgent.id()).isEqualTo(atProxy.id());
            assertThat(atAgent.path()).isEqualTo(configMapsPath);
            assertThat(List.of(atRelay.status(), atAgent.status())).containsOnly(200);
            assertThat(logs.lines(line -> line.contains(AccessLog.LOGGER)))
                    .noneMatch(line -> line.contains("secret-looking-query"));
        }
    }

    private static Access only(List<Access> lines, String hop) {
        List<Access> atHop = lines.stream().filter(a -> a.hop().equals(hop)).toList();
        assertThat(atHop).as("access lines of %s", hop).hasSize(1);
        return atHop.get(0);
    }

    private static List<Access> accessLines(CapturedLogs logs) {
        return logs.lines().stream()
                .map(ACCESS::matcher)
                .filter(Matcher::find)
                .map(m -> new Access(m.group(1), m.group(2), m.group(3), m.group(4), Integer.parseInt(m.group(5))))
                .toList();
    }

    private record Access(String id, String hop, String method, String path, int status) {}
}
