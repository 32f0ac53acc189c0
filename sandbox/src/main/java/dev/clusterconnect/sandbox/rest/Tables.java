package dev.clusterconnect.sandbox.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clusterconnect.sandbox.http.ApiRequest;
import dev.clusterconnect.sandbox.store.Json;
import dev.clusterconnect.sandbox.store.ResourceType;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Server-side printing: {@code meta.k8s.io/v1 Table} answers for clients that ask for them in
 * {@code Accept} ({@code kubectl get} does), with the columns kubectl users expect per kind.
 */
final class Tables {

    private Tables() {}

    /** Whether the request asks for a Table. */
    static boolean wanted(ApiRequest request) {
        return request.http().headers().get(HttpHeaderNames.ACCEPT, "").contains("as=Table");
    }

    /** A Table of the objects; {@code full} puts whole objects in the rows, else their metadata. */
    static ObjectNode of(ResourceType type, List<ObjectNode> objects, String resourceVersion, boolean full) {
        ObjectNode table = Json.object().put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
        table.putObject("metadata").put("resourceVersion", resourceVersion);
        ArrayNode columns = table.putArray("columnDefinitions");
        for (String name : columns(type)) {
            columns.addObject()
                    .put("name", name)
                    .put("type", "string")
                    .put("format", name.equals("Name") ? "name" : "")
                    .put("description", name)
                    .put("priority", 0);
        }
        ArrayNode rows = table.putArray("rows");
        for (ObjectNode object : objects) {
            ObjectNode row = rows.addObject();
            ArrayNode cells = row.putArray("cells");
            cells(type, object).forEach(cells::add);
            row.set("object", full ? object : metadataOnly(object));
        }
        return table;
    }

    /** A page of a list (as {@link Lists#page} builds it) as a Table, keeping its paging metadata. */
    static ObjectNode ofList(ResourceType type, ObjectNode list, boolean full) {
        List<ObjectNode> items = new ArrayList<>();
        for (JsonNode item : list.path("items")) {
            ObjectNode object = (ObjectNode) item;
            object.put("kind", type.kind()).put("apiVersion", type.apiVersion());
            items.add(object);
        }
        ObjectNode table =
                of(type, items, list.path("metadata").path("resourceVersion").asText(), full);
        table.set("metadata", list.path("metadata").deepCopy());
        return table;
    }

    /** Whether rows should carry whole objects ({@code includeObject=Object}). */
    static boolean fullObjects(ApiRequest request) {
        return request.query("includeObject", "Metadata").equals("Object");
    }

    private static List<String> columns(ResourceType type) {
        return switch (type.kind()) {
            case "Pod" -> List.of("Name", "Ready", "Status", "Restarts", "Age");
            case "Deployment" -> List.of("Name", "Ready", "Up-to-date", "Available", "Age");
            case "Service" -> List.of("Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age");
            case "Namespace" -> List.of("Name", "Status", "Age");
            case "ConfigMap", "Secret" -> List.of("Name", "Data", "Age");
            default -> List.of("Name", "Age");
        };
    }

    private static List<String> cells(ResourceType type, ObjectNode o) {
        List<String> cells = new ArrayList<>();
        cells.add(o.path("metadata").path("name").asText());
        JsonNode spec = o.path("spec");
        JsonNode status = o.path("status");
        switch (type.kind()) {
            case "Pod" -> {
                int total = spec.path("containers").size();
                long ready = 0;
                for (JsonNode c : status.path("containerStatuses")) {
                    ready += c.path("ready").asBoolean() ? 1 : 0;
                }
                cells.addAll(List.of(ready + "/" + total, status.path("phase").asText("Pending"), "0"));
            }
            case "Deployment" ->
                cells.addAll(List.of(
                        status.path("readyReplicas").asInt() + "/"
                                + spec.path("replicas").asInt(1),
                        status.path("updatedReplicas").asText("0"),
                        status.path("availableReplicas").asText("0")));
            case "Service" ->
                cells.addAll(List.of(
                        spec.path("type").asText("ClusterIP"),
                        spec.path("clusterIP").asText("None"),
                        "<none>",
                        ports(spec)));
            case "Namespace" -> cells.add(status.path("phase").asText("Active"));
            case "ConfigMap", "Secret" ->
                cells.add(Integer.toString(
                        o.path("data").size() + o.path("binaryData").size()));
            default -> {}
        }
        cells.add(age(o.path("metadata").path("creationTimestamp").asText("")));
        return cells;
    }

    private static String ports(JsonNode spec) {
        List<String> ports = new ArrayList<>();
        for (JsonNode port : spec.path("ports")) {
            ports.add(port.path("port").asText() + "/" + port.path("protocol").asText("TCP"));
        }
        return ports.isEmpty() ? "<none>" : String.join(",", ports);
    }

    /** Age as kubectl prints it: 42s, 5m10s, 3h, 2d4h. */
    static String age(String timestamp) {
        if (timestamp.isEmpty()) {
            return "<unknown>";
        }
        long s = Math.max(
                0, Duration.between(Instant.parse(timestamp), Instant.now()).getSeconds());
        if (s < 120) {
            return s + "s";
        }
        long m = s / 60;
        if (m < 10) {
            return m + "m" + (s % 60 == 0 ? "" : (s % 60) + "s");
        }
        long h = m / 60;
        if (h < 3) {
            return m + "m";
        }
        return h < 48 ? h + "h" : (h / 24) + "d" + (h % 24 == 0 || h >= 192 ? "" : (h % 24) + "h");
    }

    private static ObjectNode metadataOnly(ObjectNode object) {
        ObjectNode partial = Json.object().put("kind", "PartialObjectMetadata").put("apiVersion", "meta.k8s.io/v1");
        partial.set("metadata", object.path("metadata").deepCopy());
        return partial;
    }
}
