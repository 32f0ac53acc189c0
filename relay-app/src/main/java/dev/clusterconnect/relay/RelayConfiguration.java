package dev.clusterconnect.relay;

import dev.clusterconnect.relay.access.AccessRules;
import dev.clusterconnect.relay.access.AuthenticateCaller;
import dev.clusterconnect.relay.access.AuthorizeCluster;
import dev.clusterconnect.relay.access.DecisionThreads;
import dev.clusterconnect.relay.api.ClusterApi;
import dev.clusterconnect.relay.api.PublicEndpoint;
import dev.clusterconnect.relay.api.ReadJsonBody;
import dev.clusterconnect.relay.audit.AuditTrail;
import dev.clusterconnect.relay.audit.AuditWriter;
import dev.clusterconnect.relay.replicas.PeerHandshake;
import dev.clusterconnect.relay.replicas.ReplicaSettings;
import dev.clusterconnect.relay.replicas.Replicas;
import dev.clusterconnect.relay.store.AuditLog;
import dev.clusterconnect.relay.store.RelayDatabase;
import dev.clusterconnect.routes.component.kubeserver.KubeServerComponent;
import dev.clusterconnect.routes.component.tunnel.AgentRegistry;
import dev.clusterconnect.routes.component.tunnel.TunnelComponent;
import dev.clusterconnect.routes.config.OidcSettings;
import dev.clusterconnect.routes.config.Settings;
import dev.clusterconnect.routes.identity.TokenAuthenticator;
import dev.clusterconnect.routes.tls.TlsContexts;
import dev.clusterconnect.routes.tunnel.TunnelSettings;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;

/** Binds the relay's beans from its configuration, after checking all of it. */
public final class RelayConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) {
        Settings settings = Settings.of(context);
        String cert = settings.required("relay.tls.cert-file");
        String key = settings.required("relay.tls.key-file");
        settings.integer("relay.listen.port", 8443);
        checkLimits(settings);
        AgentTokens tokens = AgentTokens.from(settings);
        TokenAuthenticator authenticator = authenticator(context, settings);
        PublicEndpoint publicEndpoint = publicEndpoint(settings);
        Duration bootstrapTtl = settings.duration("relay.bootstrap.token-ttl", Duration.ofHours(1));
        String auditFile = settings.get("relay.audit.file", RelayStoreConfig.DEFAULT_DIR + "/audit.log");
        Duration drainTimeout = settings.duration("relay.shutdown.drain-timeout", Duration.ofSeconds(10));
        RelayStoreConfig.check(settings);
        ReplicaSettings replicaSettings =
                ReplicaSettings.from(settings, settings.get("relay.db.url", "").startsWith("jdbc:postgresql:"));
        TunnelSettings tunnelSettings = TunnelSettings.defaults()
                .withHeartbeat(
                        Duration.ofMillis(settings.integer("relay.tunnel.heartbeat-interval-ms", 15_000)),
                        Duration.ofMillis(settings.integer("relay.tunnel.heartbeat-timeout-ms", 45_000)));
        settings.deadline("relay.tunnel.response-head-timeout", Duration.ofSeconds(80));
        SslContext peerTls = replicaSettings.peers() && replicaSettings.certFile() != null
                ? TlsContexts.mutualServer(
                        replicaSettings.certFile(), replicaSettings.keyFile(), replicaSettings.caFile())
                : null;
        settings.validate("relay");
        // Discovery and the JWKS are fetched on their own threads; started now, the first request finds the keys.
        authenticator.warmUp();

        RelayDatabase database = RelayStoreConfig.open(settings);
        AuditWriter auditLog = new AuditWriter(openAuditLog(auditFile));
        TunnelComponent tunnels = context.getComponent("tunnel", TunnelComponent.class);
        AgentRegistry agents = tunnels.registry("agents");
        Replicas replicas = new Replicas(replicaSettings, database, tunnels, tunnelSettings);
        StoreHousekeeping housekeeping = StoreHousekeeping.start(database);
        DecisionThreads decisionThreads = new DecisionThreads();
        closeOnShutdown(context, database, auditLog, replicas, housekeeping, decisionThreads);
        replicas.start();
        // Status rows are written after the presence change they depend on: on the same thread.
        AgentConnections connections = new AgentConnections(agents, database.clusters(), replicas.storeWriter());
        AgentJwtVerifier verifier = new AgentJwtVerifier(database.agentKeys()::find, Clock.systemUTC());

        KubeServerComponent servers = context.getComponent("kubeserver", KubeServerComponent.class);
        int listenPort = settings.integer("relay.listen.port", 8443);
        context.getManagementStrategy()
                .addEventNotifier(new DrainOnStop(
                        replicas, drainTimeout, () -> servers.closeGracefully(listenPort), () -> {
                            if (replicaSettings.peers()) {
                                servers.closeGracefully(replicaSettings.port());
                            }
                        }));
        DrainOnStop.coverDrain(context, replicaSettings.unreadyDelay(), drainTimeout);
        if (peerTls != null) {
            context.getRegistry().bind("peerTls", peerTls);
        }
        context.getRegistry().bind("clusterLocator", replicas.locator());
        context.getRegistry().bind("peerHandshake", new PeerHandshake());
        dev.clusterconnect.routes.metrics.Metrics.gauge(
                "clusterconnect_tunnels_connected",
                "Agent tunnels open at the relay",
                "relay-clients",
                agents::tunnels);
        dev.clusterconnect.routes.metrics.Metrics.gauge(
                "clusterconnect_streams_open", "Streams open in all tunnels", "relay-clients", agents::openStreams);
        AgentKeyRevocation revocation = new AgentKeyRevocation(database.agentKeys(), connections);
        context.getRegistry().bind("relayDatabase", database);
        // Replicas share one database: an outage of it must not take every replica out of the
        // load balancer at once (established tunnels keep serving), so only a single relay's
        // readiness follows its store.
        context.getRegistry().bind("readiness", (java.util.function.BooleanSupplier)
                () -> !replicas.isDraining() && (replicaSettings.peers() || database.isHealthy()));
        context.getRegistry().bind("relayTls", TlsContexts.server(Path.of(cert), Path.of(key)));
        context.getRegistry().bind("agentAuthenticator", new AgentAuthenticator(verifier, tokens, connections));
        context.getRegistry().bind("agentEnrollment", new AgentEnrollment(database.agentKeys()));
        context.getRegistry().bind("agentKeyRotation", new AgentKeyRotation(verifier, database.agentKeys()));
        context.getRegistry().bind("agentKeyRevocation", revocation);
        context.getRegistry()
                .bind(
                        "clusterRouter",
                        new ClusterRouter(publicEndpoint.clusterDomain().orElse("")));
        context.getRegistry().bind("auditTrail", new AuditTrail(auditLog, Clock.systemUTC()));
        context.getRegistry().bind("authenticateCaller", new AuthenticateCaller(authenticator));
        context.getRegistry()
                .bind(
                        "authorizeCluster",
                        new AuthorizeCluster(AccessRules.of(database), decisionThreads, Clock.systemUTC()));
        context.getRegistry().bind("relayApiThreads", apiThreads(context));
        context.getRegistry().bind("restRefusal", new dev.clusterconnect.routes.component.kubeserver.RestRefusal());
        context.getRegistry().bind("readJsonBody", new ReadJsonBody());
        context.getRegistry()
                .bind(
                        "clusterApi",
                        new ClusterApi(database, replicas::holders, publicEndpoint, bootstrapTtl, revocation::revoke));
    }

    /**
     * The pool every API operation's store work runs on (the {@code threads} step of the
     * {@code relay-api-*} routes): one pool for all of them, bounded in threads and in waiting
     * requests; past that a request is refused (503), never run on the caller, an event loop.
     * Camel shuts it down with the context.
     */
    private static java.util.concurrent.ExecutorService apiThreads(CamelContext context) {
        org.apache.camel.spi.ThreadPoolProfile profile = new org.apache.camel.builder.ThreadPoolProfileBuilder(
                        "relay-api")
                .poolSize(1)
                .maxPoolSize(4)
                .maxQueueSize(100)
                .rejectedPolicy(org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy.Abort)
                .build();
        return context.getExecutorServiceManager().newThreadPool(RelayConfiguration.class, "relay-api", profile);
    }

    /** The connection and stream limits are counts and milliseconds: none may be negative (0 turns one off). */
    private static void checkLimits(Settings settings) {
        for (String key : java.util.List.of(
                "relay.listen.header-timeout-ms",
                "relay.listen.idle-timeout-ms",
                "relay.listen.body-timeout-ms",
                "relay.listen.max-connections-per-address",
                "relay.tunnel.max-concurrent-handshakes",
                "relay.tunnel.max-streams-per-tunnel",
                "relay.tunnel.max-streams-per-user")) {
            if (settings.integer(key, 0) < 0) {
                settings.problem(key + " may not be negative (0 turns the limit off)");
            }
        }
    }

    /** Trusted issuers from {@code relay.oidc.*}; the relay authorises identities, so no pass-through. */
    static TokenAuthenticator authenticator(CamelContext context, Settings settings) {
        Map<String, String> oidc = OidcSettings.properties(context, settings, "relay.oidc");
        if ("true".equalsIgnoreCase(oidc.get("relay.oidc.service-account-tokens"))) {
            settings.problem(
                    "relay.oidc.service-account-tokens cannot be true: the relay needs an identity to authorise");
        }
        if (!OidcSettings.hasIssuers(oidc, "relay.oidc")) {
            settings.problem(
                    "relay.oidc.issuers.<name>.url and .audience are required: the relay admits only callers it can identify");
        }
        return OidcSettings.authenticator(oidc, settings, "relay.oidc");
    }

    static PublicEndpoint publicEndpoint(Settings settings) {
        String url = settings.required("relay.public-url");
        URI uri = null;
        try {
            uri = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
            if (!"https".equals(uri.getScheme())
                    || uri.getRawAuthority() == null
                    || !uri.getRawPath().isEmpty()) {
                settings.problem("relay.public-url must be https://host[:port] without a path, got '" + url + "'");
            }
        } catch (IllegalArgumentException e) {
            settings.problem("relay.public-url is not a URL: '" + url + "'");
        }
        Optional<String> caPem = settings.file("relay.tls.ca-file").map(file -> {
            try {
                return Files.readString(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        Optional<String> clusterDomain =
                settings.optional("relay.cluster-domain").map(String::strip).filter(d -> !d.isEmpty());
        clusterDomain
                .filter(domain -> !ClusterHosts.isDomain(domain))
                .ifPresent(domain -> settings.problem(
                        "relay.cluster-domain must be a lower-case DNS name such as k8s.relay.example.com, got '"
                                + domain + "'"));
        return new PublicEndpoint(uri, caPem, clusterDomain);
    }

    /** {@code -} writes the audit lines to standard output (containers: the log collector keeps them). */
    private static AuditLog openAuditLog(String name) {
        if (name.equals("-")) {
            return new AuditLog(
                    new java.io.FilterWriter(
                            new java.io.OutputStreamWriter(System.out, java.nio.charset.StandardCharsets.UTF_8)) {
                        @Override
                        public void close() throws IOException {
                            flush(); // standard output stays open for the rest of the process
                        }
                    });
        }
        Path file = Path.of(name);
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            return AuditLog.appendingTo(file);
        } catch (IOException e) {
            throw new UncheckedIOException("relay.audit.file: cannot open " + file, e);
        }
    }

    /** The database and the audit file close after the routes stopped, when nothing uses them. */
    private static void closeOnShutdown(
            CamelContext context,
            RelayDatabase database,
            AuditWriter auditLog,
            Replicas replicas,
            StoreHousekeeping housekeeping,
            DecisionThreads decisionThreads) {
        try {
            context.addService(
                    new ServiceSupport() {
                        @Override
                        protected void doStop() throws IOException {
                            try {
                                decisionThreads.close();
                                housekeeping.close();
                                replicas.close();
                                auditLog.close();
                            } finally {
                                database.close();
                            }
                        }
                    },
                    true,
                    true);
        } catch (Exception e) {
            decisionThreads.close();
            housekeeping.close();
            replicas.close();
            database.close();
            throw new IllegalStateException("cannot register the relay store for shutdown", e);
        }
    }
}
