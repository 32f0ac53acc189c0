package dev.clusterconnect.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's application.properties and the files and variables it refers to. */
class AgentConfigTest {

    private static final Chart AGENT = Chart.AGENT;

    /** Every key the agent reads that is not per-issuer. */
    private static final Set<String> KEYS = Set.of(
            "agent.relay.url",
            "agent.cluster.id",
            "agent.relay.ca-file",
            "agent.relay.bootstrap-token-file",
            "agent.key.secret-name",
            "agent.key.secret-namespace",
            "agent.apiserver.url",
            "agent.https-proxy",
            "agent.no-proxy",
            "agent.proxy.ca-file",
            "agent.oidc.service-account-tokens",
            "agent.oidc.allow-system-identities",
            "agent.health.port",
            "agent.log.json");

    @TempDir
    Path scratch;

    @Test
    void defaultsWriteEveryKeyAndNothingElse() {
        Properties properties = AGENT.render().applicationProperties();
        assertEquals(KEYS, properties.stringPropertyNames());
        assertEquals("false", properties.getProperty("agent.oidc.service-account-tokens"));
        assertEquals("false", properties.getProperty("agent.oidc.allow-system-identities"));
        assertEquals("8081", properties.getProperty("agent.health.port"));
        assertEquals(Chart.NAMESPACE, properties.getProperty("agent.key.secret-namespace"));
    }

    @Test
    void theResponseHeadDeadlineIsTheAgentsDefaultUntilSet() {
        assertNull(AGENT.render().applicationProperties().getProperty("agent.apiserver.response-head-timeout"));
        assertEquals(
                "45s",
                AGENT.render("apiserver.responseHeadTimeout=45s")
                        .applicationProperties()
                        .getProperty("agent.apiserver.response-head-timeout"));
        String refused = AGENT.renderFailure("apiserver.responseHeadTimeout=70");
        assertTrue(refused.contains("responseHeadTimeout"), refused);
    }

    @Test
    void fullValuesReachTheirKeys() {
        Values values = Values.read(AGENT.fullValues());
        Properties properties = AGENT.render(AGENT.fullValues()).applicationProperties();

        assertEquals(values.string("relay.url"), properties.getProperty("agent.relay.url"));
        assertEquals(values.string("clusterId"), properties.getProperty("agent.cluster.id"));
        assertEquals(values.string("keySecret.name"), properties.getProperty("agent.key.secret-name"));
        assertEquals(Chart.NAMESPACE, properties.getProperty("agent.key.secret-namespace"));
        assertEquals(values.string("apiserver.url"), properties.getProperty("agent.apiserver.url"));
        assertEquals(values.joined("proxy.noProxy"), properties.getProperty("agent.no-proxy"));
        assertEquals(
                values.string("oidc.serviceAccountTokens"),
                properties.getProperty("agent.oidc.service-account-tokens"));
        assertEquals(
                values.string("oidc.allowSystemIdentities"),
                properties.getProperty("agent.oidc.allow-system-identities"));
        assertEquals(values.string("health.port"), properties.getProperty("agent.health.port"));
        assertEquals(values.string("log.json"), properties.getProperty("agent.log.json"));
    }

    @Test
    void everyIssuerSettingBecomesAKebabCaseKey() {
        Values values = Values.read(AGENT.fullValues());
        Properties properties = AGENT.render(AGENT.fullValues()).applicationProperties();

        Map<String, Object> issuers = values.map("oidc.issuers");
        assertFalse(issuers.isEmpty());
        int issuerKeys = 0;
        for (String name : issuers.keySet()) {
            for (String setting : values.map("oidc.issuers." + name).keySet()) {
                String path = "oidc.issuers." + name + "." + setting;
                String expected = values.get(path) instanceof List ? values.joined(path) : values.string(path);
                String key = "agent.oidc.issuers." + name + "." + kebab(setting);
                assertEquals(expected, properties.getProperty(key), key);
                issuerKeys++;
            }
        }
        long rendered = properties.stringPropertyNames().stream()
                .filter(k -> k.startsWith("agent.oidc.issuers."))
                .count();
        assertEquals(issuerKeys, rendered, "no issuer keys beyond those in the values");
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase();
    }

    @Test
    void valuesThatLookLikeEscapesSurviveTheRoundTrip() {
        String yaml = """
        oidc:
          issuers:
            corp:
              url: https://login.example.com
              audience: clusterconnect
              usernamePrefix: 'corp\\users\\n'
              groupsPrefix: "two\\nlines"
        """;
        Properties properties = AGENT.renderYaml(scratch, yaml).applicationProperties();
        assertEquals("corp\\users\\n", properties.getProperty("agent.oidc.issuers.corp.username-prefix"));
        assertEquals("two\nlines", properties.getProperty("agent.oidc.issuers.corp.groups-prefix"));
    }

    @Test
    void bootstrapTokenFileComesFromTheNamedSecretAndKey() {
        Values values = Values.read(AGENT.fullValues());
        Manifests manifests = AGENT.render(AGENT.fullValues());
        String file = manifests.applicationProperties().getProperty("agent.relay.bootstrap-token-file");

        Volume volume = manifests.volumeHolding(file);
        assertEquals(
                values.string("bootstrap.existingSecret"), volume.getSecret().getSecretName());
        assertEquals(Boolean.TRUE, volume.getSecret().getOptional(), "a spent token may be deleted");
        assertItemMapsTo(volume.getSecret().getItems(), values.string("bootstrap.key"), file);
        assertTrue(
                manifests.all(Secret.class).stream()
                        .noneMatch(s -> s.getMetadata().getName().equals(values.string("bootstrap.existingSecret"))),
                "an existing Secret is not rendered");
    }

    @Test
    void aBootstrapTokenFromValuesIsStoredInASecretTheAgentMounts() {
        Manifests manifests = AGENT.render("bootstrap.token=one-time-abc");
        String file = manifests.applicationProperties().getProperty("agent.relay.bootstrap-token-file");
        String secretName = manifests.volumeHolding(file).getSecret().getSecretName();

        Secret secret = manifests.all(Secret.class).stream()
                .filter(s -> s.getMetadata().getName().equals(secretName))
                .findFirst()
                .orElseThrow();
        String token = new String(Base64.getDecoder().decode(secret.getData().get("token")), StandardCharsets.UTF_8);
        assertEquals("one-time-abc", token);
    }

    @Test
    void caBundlesAreMountedWhereTheirKeysPoint() {
        Values values = Values.read(AGENT.fullValues());
        Manifests manifests = AGENT.render(AGENT.fullValues());
        Properties properties = manifests.applicationProperties();

        String relayCa = properties.getProperty("agent.relay.ca-file");
        Volume relayVolume = manifests.volumeHolding(relayCa);
        assertEquals(
                values.string("relay.caBundle.configMap"),
                relayVolume.getConfigMap().getName());
        assertItemMapsTo(relayVolume.getConfigMap().getItems(), values.string("relay.caBundle.key"), relayCa);

        String proxyCa = properties.getProperty("agent.proxy.ca-file");
        Volume proxyVolume = manifests.volumeHolding(proxyCa);
        assertEquals(
                values.string("proxy.caBundle.secret"), proxyVolume.getSecret().getSecretName());
        assertItemMapsTo(proxyVolume.getSecret().getItems(), values.string("proxy.caBundle.key"), proxyCa);
    }

    @Test
    void withoutCaBundlesTheFileKeysAreEmptyAndNothingIsMounted() {
        Manifests manifests = AGENT.render();
        Properties properties = manifests.applicationProperties();
        assertEquals("", properties.getProperty("agent.relay.ca-file"));
        assertEquals("", properties.getProperty("agent.proxy.ca-file"));
        assertTrue(manifests.container().getVolumeMounts().stream()
                .noneMatch(m -> m.getMountPath().contains("-ca")));
    }

    private static void assertItemMapsTo(List<KeyToPath> items, String key, String file) {
        assertEquals(1, items.size());
        assertEquals(key, items.get(0).getKey());
        assertTrue(file.endsWith("/" + items.get(0).getPath()), file);
    }

    @Test
    void proxyCredentialsComeFromASecretAsAnEnvironmentVariable() {
        Values values = Values.read(AGENT.fullValues());
        Manifests manifests = AGENT.render(AGENT.fullValues());

        assertNull(
                manifests.applicationProperties().getProperty("agent.https-proxy"),
                "the variable would override it anyway; an empty key would only mislead");
        EnvVar proxy = env(manifests, "AGENT_HTTPS_PROXY").orElseThrow();
        assertEquals(
                values.string("proxy.existingSecret"),
                proxy.getValueFrom().getSecretKeyRef().getName());
        assertEquals(
                values.string("proxy.existingSecretKey"),
                proxy.getValueFrom().getSecretKeyRef().getKey());
    }

    @Test
    void aProxyWithoutCredentialsIsWrittenToTheConfig() {
        Manifests manifests = AGENT.render("proxy.httpsProxy=http://proxy.corp:3128");
        assertEquals("http://proxy.corp:3128", manifests.applicationProperties().getProperty("agent.https-proxy"));
        assertTrue(env(manifests, "AGENT_HTTPS_PROXY").isEmpty());
    }

    @Test
    void schemaRejectsProxyCredentialsInValues() {
        BothChartsTest.assertSchemaRejects(
                AGENT.renderFailure("proxy.httpsProxy=http://user:secret@proxy.corp:3128"), "httpsProxy");
    }

    @Test
    void schemaRejectsIssuerNamesThatWouldBreakPropertyKeys() {
        String yaml = """
        oidc:
          issuers:
            Corp.Login:
              url: https://login.example.com
              audience: clusterconnect
        """;
        BothChartsTest.assertSchemaRejects(AGENT.renderYamlFailure(scratch, yaml), "Corp.Login");
    }

    @Test
    void extraEnvIsPassedThroughAfterTheChartsOwnVariables() {
        Manifests manifests = AGENT.render("extraEnv[0].name=AGENT_LOG_JSON", "extraEnv[0].value=true");
        List<String> names =
                manifests.container().getEnv().stream().map(EnvVar::getName).toList();
        assertEquals(List.of("CLUSTERCONNECT_CONFIG", "AGENT_LOG_JSON"), names);
    }

    @Test
    void conflictingChoicesAreAllReportedAtOnce() {
        String message = AGENT.renderFailure(
                "bootstrap.token=t", "bootstrap.existingSecret=s",
                "proxy.httpsProxy=http://proxy:3128", "proxy.existingSecret=p",
                "relay.caBundle.configMap=c", "relay.caBundle.secret=s");
        assertTrue(message.contains("bootstrap: set token or existingSecret"), message);
        assertTrue(message.contains("proxy: set httpsProxy or existingSecret"), message);
        assertTrue(message.contains("relay.caBundle: set configMap or secret"), message);
    }

    private static Optional<EnvVar> env(Manifests manifests, String name) {
        return manifests.container().getEnv().stream()
                .filter(e -> e.getName().equals(name))
                .findFirst();
    }
}
