package dev.clusterconnect.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;

/**
 * A whole session of everyday work, including an agent's enrolment and a refused token, with all
 * three apps logging at DEBUG: no credential of any kind shows up in the log text.
 */
class NoSecretsInLogsTest {

    private static final String SECRET_VALUE = "pa55-w0rd-in-a-secret";

    @Test
    void noTokenKeyOrSecretValueAppearsInAnyLogLineEvenAtDebug() throws Exception {
        try (CapturedLogs logs = CapturedLogs.start(Level.DEBUG);
                Chain chain = Chain.start("alice", "dev")) {
            List<String> secrets = secretsOf(chain);

            everydayWork(chain);
            String userToken = Files.readString(chain.dir.resolve("user-token"));
            chain.useToken(userToken.substring(0, userToken.length() - 4) + "AAAA");
            assertThat(chain.kubectl().run("get", "pods").exit()).isNotZero();
            chain.useToken(userToken);
            chain.kubectl().run("get", "pods").ok();

            String text = logs.text();
            assertThat(text).contains("enrolled key"); // the capture saw the enrolment
            for (String secret : secrets) {
                assertThat(text)
                        .as("log text must not contain a credential (%d chars)", secret.length())
                        .doesNotContain(secret);
            }
        }
    }

    /** Watches open at the sandbox; on a real cluster the streams open in the tunnel. */
    private static int openWatches(Chain chain) {
        return chain.hasSandbox()
                ? chain.apiserver.openWatchCount()
                : chain.agents().openStreams();
    }

    private static void everydayWork(Chain chain) throws Exception {
        chain.kubectl().run("get", "pods").ok();
        chain.kubectl().run("exec", chain.pod(0), "--", "echo", "hello").ok();
        Path manifest = chain.dir.resolve("cm.yaml");
        Files.writeString(manifest, """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: logged-or-not
                data:
                  a: "1"
                """);
        chain.kubectl().run("apply", "-f", manifest.toString()).ok();
        int watches = openWatches(chain);
        try (var watch = chain.kubectl().start("get", "secrets", "-w", "--output-watch-events")) {
            await().atMost(Duration.ofSeconds(20)).until(() -> openWatches(chain) > watches);
            chain.kubectl()
                    .run("create", "secret", "generic", "db", "--from-literal=password=" + SECRET_VALUE)
                    .ok();
            assertThat(watch.awaitLine("db", Duration.ofSeconds(20))).contains("ADDED");
        }
        chain.kubectl().run("get", "secret", "db", "-o", "yaml").ok();
        chain.awaitNoOpenStreams();
    }

    /** Every credential the session involves, and each part of each JWT. */
    private static List<String> secretsOf(Chain chain) throws Exception {
        List<String> secrets = new ArrayList<>();
        addJwt(secrets, Files.readString(chain.dir.resolve("user-token")).trim());
        secrets.add(Files.readString(chain.dir.resolve("bootstrap-token")).trim());
        secrets.add(agentPrivateKey(Files.readString(chain.dir.resolve("agent-key.json"))));
        secrets.add(chain.proxy.getCamelContext().getRegistry().lookupByNameAndType("localToken", String.class));
        secrets.add("agent-secret-token");
        secrets.add(SECRET_VALUE);
        secrets.add(Base64.getEncoder().encodeToString(SECRET_VALUE.getBytes(StandardCharsets.UTF_8)));
        addJwt(secrets, agentJwt(chain));
        assertThat(secrets).allMatch(s -> s != null && s.length() >= 8);
        return secrets;
    }

    /** A token of the agent's key as it presents on each tunnel connection; its header segment names the key. */
    @SuppressWarnings("unchecked")
    private static String agentJwt(Chain chain) {
        Supplier<Map<String, String>> credentials =
                chain.agent.getCamelContext().getRegistry().lookupByNameAndType("agentCredentials", Supplier.class);
        String authorization = credentials.get().entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase("Authorization"))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElseThrow();
        return authorization.substring("Bearer ".length());
    }

    private static void addJwt(List<String> secrets, String jwt) {
        secrets.add(jwt);
        secrets.addAll(List.of(jwt.split("\\.")));
    }

    private static String agentPrivateKey(String keyJson) {
        Matcher d = Pattern.compile("\"d\"\\s*:\\s*\"([^\"]+)\"").matcher(keyJson);
        assertThat(d.find()).as("the stored agent key has its private part").isTrue();
        return d.group(1);
    }
}
