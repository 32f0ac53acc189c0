package dev.clusterconnect.agent;

import dev.clusterconnect.agent.steps.FreshHeaders;
import dev.clusterconnect.agent.steps.Impersonate;
import dev.clusterconnect.agent.steps.RefuseClientImpersonation;
import dev.clusterconnect.routes.config.Secrets;
import dev.clusterconnect.routes.config.Settings;
import dev.clusterconnect.routes.tls.TlsContexts;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelConfiguration;

/** Binds the agent's beans from its configuration, after checking all of it. */
public final class AgentConfiguration implements CamelConfiguration {

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
        String user = settings.required("agent.impersonate.user");
        ApiserverAccess apiserver = ApiserverAccess.from(settings);
        settings.validate("agent");

        Supplier<String> relayToken = Secrets.fromFile(tokenFile.orElseThrow());
        Supplier<Map<String, String>> credentials = () -> Map.of("Authorization", "Bearer " + relayToken.get());
        context.getRegistry().bind("agentCredentials", credentials);
        context.getRegistry().bind("relayTls", TlsContexts.client(relayCa.orElse(null)));
        context.getRegistry().bind("apiserver", apiserver.upstream());
        context.getRegistry().bind("refuseClientImpersonation", new RefuseClientImpersonation());
        context.getRegistry().bind("freshHeaders", new FreshHeaders());
        context.getRegistry().bind("impersonate", new Impersonate(apiserver.token(), user));
    }
}
