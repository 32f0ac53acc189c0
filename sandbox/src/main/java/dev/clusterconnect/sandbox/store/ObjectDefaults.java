package dev.clusterconnect.sandbox.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;

/**
 * What the controllers and kubelets of a real cluster would do to an object soon after it is
 * written, done at once so kubectl sees a settled cluster: pods run, deployments are available,
 * namespaces are active, secrets fold {@code stringData} into {@code data}.
 */
final class ObjectDefaults {

    private ObjectDefaults() {}

    /** Completes an object about to be stored. {@code now} is an RFC 3339 timestamp. */
    static void apply(ResourceType type, ObjectNode object, String now) {
        switch (type.kind()) {
            case "Pod" -> runPod(object, now);
            case "Namespace" -> activateNamespace(object);
            case "Secret" -> foldStringData(object);
            case "Deployment" -> settleDeployment(object);
            case "Service" -> assignClusterIp(object);
            default -> {}
        }
    }

    private static void runPod(ObjectNode pod, String now) {
        ObjectNode spec = pod.withObjectProperty("spec");
        spec.putIfAbsent("nodeName", pod.textNode("sandbox-node"));
        spec.putIfAbsent("restartPolicy", pod.textNode("Always"));
        ObjectNode status = pod.withObjectProperty("status");
        if (status.path("phase").asText("").isEmpty()) {
            status.put("phase", "Running");
        }
        status.putIfAbsent("podIP", pod.textNode("10.0.0.10"));
        status.putIfAbsent("hostIP", pod.textNode("192.168.0.10"));
        status.putIfAbsent("startTime", pod.textNode(now));
        if (!status.has("containerStatuses")) {
            ArrayNode statuses = status.putArray("containerStatuses");
            for (JsonNode container : spec.path("containers")) {
                ObjectNode cs = statuses.addObject();
                cs.put("name", container.path("name").asText());
                cs.put("image", container.path("image").asText());
                cs.put("ready", true).put("restartCount", 0).put("started", true);
                cs.putObject("state").putObject("running").put("startedAt", now);
            }
            ArrayNode conditions = status.putArray("conditions");
            conditions.addObject().put("type", "Ready").put("status", "True");
        }
    }

    private static void activateNamespace(ObjectNode namespace) {
        ObjectNode spec = namespace.withObjectProperty("spec");
        if (!spec.has("finalizers")) {
            spec.putArray("finalizers").add("kubernetes");
        }
        namespace.withObjectProperty("status").put("phase", "Active");
    }

    private static void foldStringData(ObjectNode secret) {
        JsonNode stringData = secret.remove("stringData");
        secret.putIfAbsent("type", secret.textNode("Opaque"));
        if (stringData == null || !stringData.isObject()) {
            return;
        }
        ObjectNode data = secret.withObjectProperty("data");
        for (Iterator<Map.Entry<String, JsonNode>> it = stringData.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            byte[] value = entry.getValue().asText().getBytes(StandardCharsets.UTF_8);
            data.put(entry.getKey(), Base64.getEncoder().encodeToString(value));
        }
    }

    private static void assignClusterIp(ObjectNode service) {
        ObjectNode spec = service.withObjectProperty("spec");
        spec.putIfAbsent("type", service.textNode("ClusterIP"));
        if (spec.path("clusterIP").asText("").isEmpty()) {
            // stable per name, like an address the service keeps for its life
            int hash =
                    Math.floorMod(service.path("metadata").path("name").asText().hashCode(), 250 * 250);
            spec.put("clusterIP", "10.96." + (hash / 250 + 1) + "." + (hash % 250 + 1));
        }
    }

    private static void settleDeployment(ObjectNode deployment) {
        ObjectNode spec = deployment.withObjectProperty("spec");
        spec.putIfAbsent("replicas", deployment.numberNode(1));
        int replicas = spec.path("replicas").asInt(1);
        ObjectNode status = deployment.putObject("status");
        status.put(
                "observedGeneration",
                deployment.path("metadata").path("generation").asLong(1));
        status.put("replicas", replicas).put("updatedReplicas", replicas);
        status.put("readyReplicas", replicas).put("availableReplicas", replicas);
        ArrayNode conditions = status.putArray("conditions");
        conditions.addObject().put("type", "Available").put("status", "True").put("reason", "MinimumReplicasAvailable");
        conditions.addObject().put("type", "Progressing").put("status", "True").put("reason", "NewReplicaSetAvailable");
    }
}
