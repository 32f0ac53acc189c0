package dev.clusterconnect.relay;

import dev.clusterconnect.routes.config.Settings;
import dev.clusterconnect.routes.tls.TlsContexts;
import java.nio.file.Path;
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
        settings.validate("relay");
        context.getRegistry().bind("relayTls", TlsContexts.server(Path.of(cert), Path.of(key)));
        context.getRegistry().bind("agentAuthenticator", new AgentAuthenticator(tokens));
        context.getRegistry().bind("clusterRouter", new ClusterRouter());
    }
}
