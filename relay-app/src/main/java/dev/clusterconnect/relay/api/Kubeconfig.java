package dev.clusterconnect.relay.api;

import dev.clusterconnect.relay.store.Cluster;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

/**
 * A kubeconfig for one cluster through the relay (what {@code az connectedk8s}'s
 * listClusterUserCredential returns): server {@code <public url>/clusters/<id>}, the relay's CA
 * when it has its own, and a user that asks the {@code clusterconnect} CLI for a token on every
 * call, so no credential is ever written into the file.
 */
final class Kubeconfig {

    /** The exec credential plugin API kubectl 1.22+ speaks. */
    static final String EXEC_API_VERSION = "client.authentication.k8s.io/v1";

    private Kubeconfig() {}

    static String render(Cluster cluster, PublicEndpoint relay) {
        // Names are unique per owner only; the id's head keeps two owners' "prod" apart.
        String name = "clusterconnect-" + cluster.name() + "-"
                + cluster.id().substring(0, Math.min(6, cluster.id().length()));
        Map<String, Object> server = new LinkedHashMap<>();
        relay.caPem()
                .ifPresent(pem -> server.put(
                        "certificate-authority-data",
                        Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII))));
        server.put("server", relay.clusterServer(cluster.id()));

        // Field order as kubectl writes the exec stanza itself (proxy-app's ExecStanza).
        Map<String, Object> exec = new LinkedHashMap<>();
        exec.put("apiVersion", EXEC_API_VERSION);
        exec.put("args", List.of("token", "--cluster", cluster.id()));
        exec.put("command", "clusterconnect");
        exec.put("env", null);
        exec.put("interactiveMode", "IfAvailable");
        exec.put("provideClusterInfo", false);

        Map<String, Object> context = new LinkedHashMap<>();
        context.put("cluster", name);
        context.put("user", name);

        Map<String, Object> config = new LinkedHashMap<>();
        config.put("apiVersion", "v1");
        config.put("kind", "Config");
        config.put("clusters", List.of(Map.of("name", name, "cluster", server)));
        config.put("contexts", List.of(Map.of("name", name, "context", context)));
        config.put("current-context", name);
        config.put("preferences", Map.of());
        config.put("users", List.of(Map.of("name", name, "user", Map.of("exec", exec))));
        return new Dump(DumpSettings.builder()
                        .setDefaultFlowStyle(FlowStyle.BLOCK)
                        .build())
                .dumpToString(config);
    }
}
