package dev.clusterconnect.agent;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clusterconnect.routes.config.Settings;
import dev.clusterconnect.routes.identity.TokenAuthenticator;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** The agent's trusted issuers: every mistake in {@code agent.oidc.*} is reported at start-up, all at once. */
class AgentConfigurationTest {

    @Test
    void everyProblemInTheIssuerSettingsIsReportedTogether() {
        Map<String, String> properties = Map.of(
                "agent.oidc.issuers.corp.url",
                "http://login.example.com/corp",
                "agent.oidc.issuers.corp.username-claim",
                "email",
                "agent.oidc.allow-system-identitys",
                "true");
        Settings settings = ApiserverAccessTest.settings(properties);

        TokenAuthenticator authenticator = AgentConfiguration.authenticator(context(properties), settings);

        assertNull(authenticator);
        String problems = assertThrows(IllegalArgumentException.class, () -> settings.validate("agent"))
                .getMessage();
        assertTrue(
                problems.contains("agent.oidc.issuers.corp.url: issuer url must be an absolute https URL"), problems);
        assertTrue(problems.contains("agent.oidc.issuers.corp.audience: required"), problems);
        assertTrue(problems.contains("agent.oidc.allow-system-identitys: unknown key"), problems);
    }

    @Test
    void aWellFormedIssuerBuildsTheAuthenticatorWithoutFetchingAnything() {
        Map<String, String> properties = Map.of(
                "agent.oidc.issuers.corp.url",
                "https://login.example.com/corp",
                "agent.oidc.issuers.corp.audience",
                "api://clusterconnect",
                "agent.oidc.issuers.corp.username-claim",
                "email");
        Settings settings = ApiserverAccessTest.settings(properties);

        assertNotNull(AgentConfiguration.authenticator(context(properties), settings));
        settings.validate("agent");
    }

    /** A context whose properties hold {@code properties}, as if read from the agent's property files. */
    private static CamelContext context(Map<String, String> properties) {
        Properties initial = new Properties();
        initial.putAll(properties);
        CamelContext context = new DefaultCamelContext();
        context.getPropertiesComponent().setInitialProperties(initial);
        return context;
    }
}
