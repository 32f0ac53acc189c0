package dev.clusterconnect.agent.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clusterconnect.agent.ApiserverClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The key in a Kubernetes Secret of the agent's namespace, through the apiserver as the agent
 * itself: survives pod restarts and rescheduling without a volume. The agent's RBAC needs get,
 * create and update on that one Secret.
 */
public final class SecretKeyStorage implements KeyStorage {

    static final String DATA_KEY = "agent-key.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ApiserverClient apiserver;
    private final String namespace;
    private final String name;

    public SecretKeyStorage(ApiserverClient apiserver, String namespace, String name) {
        this.apiserver = apiserver;
        this.namespace = namespace;
        this.name = name;
    }

    @Override
    public Optional<StoredKey> load() throws IOException {
        ApiserverClient.Response response = apiserver.get(collection() + "/" + name);
        if (response.status() == 404) {
            return Optional.empty();
        }
        check(response, "read");
        JsonNode data = JSON.readTree(response.body()).path("data").path(DATA_KEY);
        if (!data.isTextual()) {
            return Optional.empty();
        }
        return Optional.of(
                StoredKey.parse(new String(Base64.getDecoder().decode(data.asText()), StandardCharsets.UTF_8)));
    }

    @Override
    public void save(StoredKey key) throws IOException {
        ObjectNode secret = JSON.createObjectNode()
                .put("apiVersion", "v1")
                .put("kind", "Secret")
                .put("type", "Opaque");
        secret.putObject("metadata")
                .put("name", name)
                .put("namespace", namespace)
                .putObject("labels")
                .put("app.kubernetes.io/managed-by", "clusterconnect-agent");
        secret.putObject("data")
                .put(DATA_KEY, Base64.getEncoder().encodeToString(key.toJson().getBytes(StandardCharsets.UTF_8)));
        // Patch only the key's data: the Secret usually comes from the Helm chart, whose ownership
        // labels and annotations must survive for the next 'helm upgrade'. Create it only when
        // nobody did (installs without the chart; that needs the 'create' verb).
        String dataOnly =
                JSON.createObjectNode().set("data", secret.get("data")).toString();
        ApiserverClient.Response response = apiserver.mergePatch(collection() + "/" + name, dataOnly);
        if (response.status() == 404) {
            response = apiserver.post(collection(), secret.toString());
        }
        check(response, "write");
    }

    @Override
    public String describe() {
        return "Secret " + namespace + "/" + name;
    }

    private String collection() {
        return "/api/v1/namespaces/" + namespace + "/secrets";
    }

    private void check(ApiserverClient.Response response, String what) throws IOException {
        if (!response.ok()) {
            // The apiserver's Status message, never the Secret's content (we did not get any).
            String message = "";
            try {
                message = JSON.readTree(response.body()).path("message").asText("");
            } catch (IOException unreadable) {
                // keep the status alone
            }
            throw new IOException("cannot " + what + " " + describe() + ": HTTP " + response.status() + " " + message);
        }
    }
}
