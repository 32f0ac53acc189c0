package dev.clusterconnect.relay;

import dev.clusterconnect.routes.config.Settings;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * Per-cluster static agent tokens from configuration ({@code relay.agent-tokens.<cluster>=<sha256
 * hex>}): a fallback for clusters explicitly listed in {@code relay.agent-clusters} (the demo and
 * the separate-process tests). Every other cluster authenticates with an enrolled key pair. Only
 * hashes are configured, so the relay's configuration never holds a usable credential.
 */
public final class AgentTokens {

    private final Map<String, byte[]> hashByCluster;

    AgentTokens(Map<String, byte[]> hashByCluster) {
        this.hashByCluster = hashByCluster;
    }

    static AgentTokens from(Settings settings) {
        String list = settings.get("relay.agent-clusters", "");
        Map<String, byte[]> hashes = new java.util.HashMap<>();
        for (String cluster : list.split(",")) {
            String id = cluster.trim();
            if (id.isEmpty()) {
                continue;
            }
            String hex = settings.required("relay.agent-tokens." + id);
            try {
                byte[] hash = HexFormat.of().parseHex(hex);
                if (hash.length != 32) {
                    throw new IllegalArgumentException();
                }
                hashes.put(id, hash);
            } catch (IllegalArgumentException e) {
                settings.problem("relay.agent-tokens." + id + " must be the SHA-256 of the token, in hex");
            }
        }
        return new AgentTokens(Map.copyOf(hashes));
    }

    /** True when {@code clusterId} is configured to use a static token instead of a key pair. */
    public boolean covers(String clusterId) {
        return hashByCluster.containsKey(clusterId);
    }

    /** True when {@code token} is the agent token of {@code clusterId}; compared in constant time. */
    public boolean matches(String clusterId, String token) {
        byte[] expected = Optional.ofNullable(hashByCluster.get(clusterId)).orElse(null);
        if (expected == null || token == null) {
            return false;
        }
        return MessageDigest.isEqual(expected, sha256(token));
    }

    public static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
