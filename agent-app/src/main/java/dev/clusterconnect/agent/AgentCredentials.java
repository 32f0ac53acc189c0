package dev.clusterconnect.agent;

import dev.clusterconnect.agent.identity.AgentIdentity;
import dev.clusterconnect.agent.identity.FileKeyStorage;
import dev.clusterconnect.agent.identity.KeyStorage;
import dev.clusterconnect.agent.identity.RelayClient;
import dev.clusterconnect.agent.identity.SecretKeyStorage;
import dev.clusterconnect.routes.config.Secrets;
import dev.clusterconnect.routes.config.Settings;
import dev.clusterconnect.routes.tls.JdkTls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The headers the agent proves itself with on every tunnel connection: a fresh token of its
 * enrolled key ({@code agent.key.*}), or a static token ({@code agent.relay.token-file}) where the
 * relay is configured for one.
 */
final class AgentCredentials {

    private final Optional<Path> staticTokenFile;
    private final Optional<Path> keyFile;
    private final Optional<String> secretName;
    private final Optional<String> secretNamespace;
    private final Optional<Path> bootstrapTokenFile;

    private AgentCredentials(Settings settings) {
        staticTokenFile = settings.file("agent.relay.token-file");
        keyFile = settings.optional("agent.key.file").map(Path::of);
        secretName = settings.optional("agent.key.secret-name");
        secretNamespace = settings.optional("agent.key.secret-namespace");
        bootstrapTokenFile =
                settings.optional("agent.relay.bootstrap-token-file").map(Path::of);
        if (staticTokenFile.isEmpty() && keyFile.isEmpty() && secretName.isEmpty()) {
            settings.problem(
                    "set agent.key.file or agent.key.secret-name (where the agent keeps its key), or agent.relay.token-file");
        }
        if (keyFile.isEmpty() && secretName.isPresent() && secretNamespace.isEmpty()) {
            settings.problem("agent.key.secret-namespace is required with agent.key.secret-name");
        }
    }

    /** Reads the keys, reporting problems to {@code settings}; {@link #establish} does the work. */
    static AgentCredentials from(Settings settings) {
        return new AgentCredentials(settings);
    }

    /** The agent's identity, enrolling it first if needed; empty in static-token mode. */
    Optional<AgentIdentity> establish(
            String clusterId,
            URI relayUrl,
            List<java.security.cert.X509Certificate> relayTrust,
            OutboundProxy outbound,
            ApiserverClient apiserver) {
        if (staticTokenFile.isPresent()) {
            return Optional.empty();
        }
        KeyStorage storage = keyFile.<KeyStorage>map(FileKeyStorage::new)
                .orElseGet(
                        () -> new SecretKeyStorage(apiserver, secretNamespace.orElseThrow(), secretName.orElseThrow()));
        RelayClient relay = new RelayClient(
                relayUrl,
                outbound.apply(java.net.http.HttpClient.newBuilder().sslContext(JdkTls.trusting(relayTrust))));
        try {
            return Optional.of(
                    AgentIdentity.establish(clusterId, storage, relay, this::bootstrapToken, Clock.systemUTC()));
        } catch (IOException e) {
            throw new IllegalStateException("agent enrolment failed: " + e.getMessage(), e);
        }
    }

    /** The handshake headers, produced per connection. */
    Supplier<Map<String, String>> headers(Optional<AgentIdentity> identity, Optional<String> kubernetesVersion) {
        Supplier<String> authorization = identity.<Supplier<String>>map(id -> id::authorization)
                .orElseGet(() -> {
                    Supplier<String> token = Secrets.fromFile(staticTokenFile.orElseThrow());
                    return () -> "Bearer " + token.get();
                });
        return () -> {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Authorization", authorization.get());
            kubernetesVersion.ifPresent(version -> headers.put("X-Clusterconnect-Kubernetes-Version", version));
            return headers;
        };
    }

    private Optional<String> bootstrapToken() {
        return bootstrapTokenFile
                .filter(Files::isReadable)
                .map(file -> {
                    try {
                        return Files.readString(file).trim();
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot read the bootstrap token file " + file, e);
                    }
                })
                .filter(token -> !token.isEmpty());
    }
}
