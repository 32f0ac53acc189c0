package dev.clusterconnect.agent;

import dev.clusterconnect.agent.steps.Authenticate;
import dev.clusterconnect.agent.steps.FreshHeaders;
import dev.clusterconnect.agent.steps.Impersonate;
import dev.clusterconnect.agent.steps.RefuseClientImpersonation;
import dev.clusterconnect.routes.config.Secrets;
import dev.clusterconnect.routes.config.Settings;
import dev.clusterconnect.routes.identity.IdentityConfigException;
import dev.clusterconnect.routes.identity.TokenAuthenticator;
import dev.clusterconnect.routes.tls.TlsContexts;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelConfiguration;

/** Binds the agent's beans from its configuration, after checking all of it. */
public final class AgentConfiguration implements CamelConfiguration {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AgentConfiguration.class);

    @Override
    public void configure(CamelContext context) {
        Settings settings = Settings.of(context);
        settings.required("agent.relay.url");
        settings.required("agent.cluster.id");
        Optional<java.nio.file.Path> relayCa = settings.file("agent.relay.ca-file");
        Optional<java.nio.file.Path> tokenFile = settings.file("agent.relay.token-file");
        if (settings.optional("agent.relay.token-file").isEmpty()) {
            settings.problem("agent.relay.token-file is required (the cluster's agent token)");
        }
        ApiserverAccess apiserver = ApiserverAccess.from(settings);
        TokenAuthenticator authenticator = authenticator(context, settings);
        settings.validate("agent");

        Supplier<String> relayToken = Secrets.fromFile(tokenFile.orElseThrow());
        Supplier<Map<String, String>> credentials = () -> Map.of("Authorization", "Bearer " + relayToken.get());
        context.getRegistry().bind("agentCredentials", credentials);
        context.getRegistry().bind("relayTls", TlsContexts.client(relayCa.orElse(null)));
        context.getRegistry().bind("apiserver", apiserver.upstream());
        context.getRegistry().bind("refuseClientImpersonation", new RefuseClientImpersonation());
        context.getRegistry().bind("freshHeaders", new FreshHeaders());
        context.getRegistry().bind("authenticate", new Authenticate(authenticator));
        context.getRegistry().bind("impersonate", new Impersonate(apiserver.token()));
    }

    /** Trusted issuers and their claim mappings from {@code agent.oidc.*}. */
    static TokenAuthenticator authenticator(CamelContext context, Settings settings) {
        Map<String, String> oidc = new java.util.TreeMap<>();
        // Keys come from the property files; values are resolved again so environment variables
        // override them like every other key.
        context.getPropertiesComponent().loadProperties(key -> key.startsWith("agent.oidc."))
                .stringPropertyNames()
                .forEach(key -> settings.optional(key).ifPresent(value -> oidc.put(key, value)));
        try {
            TokenAuthenticator authenticator = TokenAuthenticator.fromProperties(oidc, "agent.oidc");
            if (oidc.keySet().stream().noneMatch(k -> k.startsWith("agent.oidc.issuers."))
                    && !"true".equals(oidc.get("agent.oidc.service-account-tokens"))) {
                LOG.warn("no trusted issuer in agent.oidc.issuers.* and service-account tokens are off: every request will be refused");
            }
            return authenticator;
        } catch (IdentityConfigException e) {
            settings.problem(e.getMessage());
            return null;
        }
    }
}
