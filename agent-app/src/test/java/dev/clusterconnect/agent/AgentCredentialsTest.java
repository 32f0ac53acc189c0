package dev.clusterconnect.agent;

import static dev.clusterconnect.agent.ApiserverAccessTest.settings;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clusterconnect.routes.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the agent proves itself to the relay with, and the settings it refuses to start without. */
class AgentCredentialsTest {

    @TempDir
    Path dir;

    @Test
    void withNoWayToProveItselfTheAgentIsToldItsThreeOptions() {
        Settings settings = settings(Map.of());

        AgentCredentials.from(settings);

        assertTrue(
                problems(settings)
                        .contains(
                                "set agent.key.file or agent.key.secret-name (where the agent keeps its key), or agent.relay.token-file"),
                problems(settings));
    }

    @Test
    void aKeySecretNeedsItsNamespace() {
        Settings withoutNamespace = settings(Map.of("agent.key.secret-name", "clusterconnect-agent-key"));
        Settings withNamespace = settings(Map.of(
                "agent.key.secret-name", "clusterconnect-agent-key", "agent.key.secret-namespace", "clusterconnect"));

        AgentCredentials.from(withoutNamespace);
        AgentCredentials.from(withNamespace);

        assertTrue(
                problems(withoutNamespace)
                        .contains("agent.key.secret-namespace is required with agent.key.secret-name"),
                problems(withoutNamespace));
        assertDoesNotThrow(() -> withNamespace.validate("agent"));
    }

    @Test
    void aKeyFileAloneIsEnough() {
        Settings settings =
                settings(Map.of("agent.key.file", dir.resolve("agent-key.json").toString()));

        AgentCredentials.from(settings);

        assertDoesNotThrow(() -> settings.validate("agent"));
    }

    @Test
    void anUnreadableStaticTokenFileIsReported() {
        Settings settings = settings(
                Map.of("agent.relay.token-file", dir.resolve("no-such-token").toString()));

        AgentCredentials.from(settings);

        assertTrue(problems(settings).contains("agent.relay.token-file: cannot read"), problems(settings));
    }

    @Test
    void aStaticTokenIsSentAsBearerAndReReadForEachConnectionWhenTheFileChanges() throws Exception {
        Path token = Files.writeString(dir.resolve("relay-token"), "first-token\n");
        Settings settings = settings(Map.of("agent.relay.token-file", token.toString()));
        Supplier<Map<String, String>> headers =
                AgentCredentials.from(settings).headers(Optional.empty(), Optional.of("v1.31.2"));

        assertEquals(
                Map.of("Authorization", "Bearer first-token", "X-Clusterconnect-Kubernetes-Version", "v1.31.2"),
                headers.get());

        Files.writeString(token, "second-token");
        Files.setLastModifiedTime(token, FileTime.from(Instant.now().plusSeconds(60)));
        assertEquals("Bearer second-token", headers.get().get("Authorization"));
    }

    @Test
    void anUnknownKubernetesVersionSendsNoVersionHeader() throws Exception {
        Path token = Files.writeString(dir.resolve("relay-token"), "t");
        Supplier<Map<String, String>> headers = AgentCredentials.from(
                        settings(Map.of("agent.relay.token-file", token.toString())))
                .headers(Optional.empty(), Optional.empty());

        assertEquals(Map.of("Authorization", "Bearer t"), headers.get());
    }

    private static String problems(Settings settings) {
        return assertThrows(IllegalArgumentException.class, () -> settings.validate("agent"))
                .getMessage();
    }
}
