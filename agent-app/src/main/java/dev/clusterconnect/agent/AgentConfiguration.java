package dev.clusterconnect.agent;

import dev.clusterconnect.agent.identity.AgentIdentity;
import dev.clusterconnect.agent.steps.Authenticate;
import dev.clusterconnect.agent.steps.FreshHeaders;
import dev.clusterconnect.agent.steps.Impersonate;
import dev.clusterconnect.agent.steps.RefuseClientImpersonation;
import dev.clusterconnect.routes.component.tunnel.TunnelComponent;
import dev.clusterconnect.routes.config.OidcSettings;
import dev.clusterconnect.routes.config.Settings;
import dev.clusterconnect.routes.identity.TokenAuthenticator;
import dev.clusterconnect.routes.tls.TlsContexts;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/** Binds the agent's beans from its configuration, after checking all of it. */
public final class AgentConfiguration implements CamelConfiguration {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AgentConfiguration.class);

    @Override
    public void configure(CamelContext context) {
        Settings settings = Settings.of(context);
        String relayUrl = settings.required("agent.relay.url");
        String clusterId = settings.required("agent.cluster.id");
        Optional<java.nio.file.Path> relayCa = settings.file("agent.relay.ca-file");
        // A proxy that inspects TLS re-signs the relay's certificate with its own CA.
        Optional<java.nio.file.Path> proxyCa = settings.file("agent.proxy.ca-file");
        OutboundProxy outbound = OutboundProxy.from(settings);
        AgentCredentials credentials = AgentCredentials.from(settings);
        ApiserverAccess apiserver = ApiserverAccess.from(settings);
        TokenAuthenticator authenticator = authenticator(context, settings);
        settings.deadline("agent.apiserver.response-head-timeout", Duration.ofSeconds(70));
        settings.validate("agent");
        // Discovery and the JWKS are fetched on their own threads; started now, the first request finds the keys.
        authenticator.warmUp();

        ApiserverClient apiserverClient = new ApiserverClient(apiserver);
        Optional<String> kubernetesVersion = apiserverClient.kubernetesVersion();
        if (kubernetesVersion.isEmpty()) {
            LOG.warn("cannot read /version from the apiserver; the relay will show the Kubernetes version as unknown");
        }
        java.util.List<java.security.cert.X509Certificate> relayTrust = new java.util.ArrayList<>();
        relayCa.ifPresent(f -> relayTrust.addAll(dev.clusterconnect.routes.tls.PemFiles.readCertificates(f)));
        proxyCa.ifPresent(f -> relayTrust.addAll(dev.clusterconnect.routes.tls.PemFiles.readCertificates(f)));
        Optional<AgentIdentity> identity =
                credentials.establish(clusterId, URI.create(relayUrl), relayTrust, outbound, apiserverClient);
        identity.ifPresent(id -> context.getRegistry().bind("agentIdentity", id));
        context.getRegistry().bind("agentCredentials", credentials.headers(identity, kubernetesVersion));
        context.getRegistry()
                .bind(
                        "relayTls",
                        relayTrust.isEmpty()
                                ? TlsContexts.client((java.nio.file.Path) null)
                                : TlsContexts.client(
                                        relayTrust.toArray(java.security.cert.X509Certificate[]::new), null, null));
        context.getRegistry().bind("apiserver", apiserver.upstream());
        context.getRegistry().bind("refuseClientImpersonation", new RefuseClientImpersonation());
        context.getRegistry().bind("freshHeaders", new FreshHeaders());
        context.getRegistry().bind("authenticate", new Authenticate(authenticator));
        // The tunnel component, not a route, knows its tunnels: an operator's route file may replace agent-requests.
        TunnelComponent tunnels = context.getComponent("tunnel", TunnelComponent.class);
        dev.clusterconnect.routes.metrics.Metrics.gauge(
                "clusterconnect_streams_open",
                "Streams open in the agent's tunnel",
                "agent-requests",
                tunnels::streamsToRelay);
        // Ready while the tunnel to the relay is up and the apiserver answers. Asked on the health
        // port's event loop: never waits for the apiserver, checks at most every 5 s.
        var apiserverProbe = new dev.clusterconnect.routes.health.CachedProbe(
                apiserverClient::answersVersion, Duration.ofSeconds(5));
        context.getRegistry().bind("readiness", (java.util.function.BooleanSupplier)
                () -> tunnels.tunnelsToRelayUp() && apiserverProbe.answers());
        context.getRegistry().bind("impersonate", new Impersonate(apiserver.token()));
    }

    /** Trusted issuers and their claim mappings from {@code agent.oidc.*}. */
    static TokenAuthenticator authenticator(CamelContext context, Settings settings) {
        Map<String, String> oidc = OidcSettings.properties(context, settings, "agent.oidc");
        TokenAuthenticator authenticator = OidcSettings.authenticator(oidc, settings, "agent.oidc");
        if (authenticator != null
                && !OidcSettings.hasIssuers(oidc, "agent.oidc")
                && !"true".equals(oidc.get("agent.oidc.service-account-tokens"))) {
            LOG.warn(
                    "no trusted issuer in agent.oidc.issuers.* and service-account tokens are off: every request will be refused");
        }
        return authenticator;
    }
}
