package dev.clusterconnect.relay;

import dev.clusterconnect.relay.store.RelayDatabase;
import dev.clusterconnect.routes.component.tunnel.AgentRegistry;
import dev.clusterconnect.routes.component.tunnel.TunnelComponent;
import dev.clusterconnect.routes.config.Settings;
import dev.clusterconnect.routes.tls.TlsContexts;
import java.nio.file.Path;
import java.time.Clock;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelConfiguration;

/** Binds the relay's beans from its configuration, after checking all of it. */
public final class RelayConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) {
        Settings settings = Settings.of(context);
        String cert = settings.required("relay.tls.cert-file");
        String key = settings.required("relay.tls.key-file");
        settings.integer("relay.listen.port", 8443);
        AgentTokens tokens = AgentTokens.from(settings);
        RelayStore.Config storeConfig = RelayStore.Config.from(settings);
        settings.validate("relay");

        RelayStore store = storeConfig.open();
        try {
            context.addService(store, true, true);
        } catch (Exception e) {
            store.database().close();
            throw new IllegalStateException("cannot start the relay store", e);
        }
        RelayDatabase database = store.database();
        AgentRegistry registry = context.getComponent("tunnel", TunnelComponent.class).registry("agents");
        AgentConnections connections = new AgentConnections(registry, database.clusters(),
                context.getExecutorServiceManager().newSingleThreadExecutor(this, "relay-status"));
        AgentJwtVerifier verifier = new AgentJwtVerifier(database.agentKeys()::find, Clock.systemUTC());

        context.getRegistry().bind("relayDatabase", database);
        context.getRegistry().bind("relayTls", TlsContexts.server(Path.of(cert), Path.of(key)));
        context.getRegistry().bind("agentAuthenticator", new AgentAuthenticator(verifier, tokens, connections));
        context.getRegistry().bind("agentEnrollment", new AgentEnrollment(database.bootstrapTokens(), database.agentKeys()));
        context.getRegistry().bind("agentKeyRotation", new AgentKeyRotation(verifier, database.agentKeys()));
        context.getRegistry().bind("agentKeyRevocation", new AgentKeyRevocation(database.agentKeys(), connections));
        context.getRegistry().bind("clusterRouter", new ClusterRouter());
    }
}
