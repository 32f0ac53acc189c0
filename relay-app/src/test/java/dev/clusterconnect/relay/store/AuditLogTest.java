package dev.clusterconnect.relay.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AuditLogTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant TIME = Instant.parse("2025-03-01T10:15:30.250Z");
    private static final String JWT = "eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ"
            + ".eyJzdWIiOiJhbGljZSIsImdyb3VwcyI6WyJzcmUiXX0.c2lnbmF0dXJlLWJ5dGVzLWhlcmUtMTIzNDU2Nzg5MA";

    private final StringWriter out = new StringWriter();
    private final AuditLog log = new AuditLog(out);

    @Test
    void eachRequestIsOneJsonLineWithEveryField() throws Exception {
        log.record(event("alice", "/api/v1/namespaces/default/pods?watch=1", "corr-1"));
        log.record(event("bob", "/version", "corr-2"));

        List<String> lines = lines();
        assertEquals(2, lines.size());
        JsonNode first = JSON.readTree(lines.get(0));
        assertEquals(
                Set.of(
                        "time",
                        "caller",
                        "cluster",
                        "verb",
                        "path",
                        "status",
                        "bytesIn",
                        "bytesOut",
                        "durationMs",
                        "correlationId"),
                fieldNames(first));
        assertEquals("2025-03-01T10:15:30.250Z", first.get("time").asText());
        assertEquals("alice", first.get("caller").asText());
        assertEquals("Xq3vG1pQ7cR2bN8mK4wT0a", first.get("cluster").asText());
        assertEquals("GET", first.get("verb").asText());
        assertEquals(
                "/api/v1/namespaces/default/pods?watch=1", first.get("path").asText());
        assertEquals(200, first.get("status").asInt());
        assertEquals(12, first.get("bytesIn").asLong());
        assertEquals(3456, first.get("bytesOut").asLong());
        assertEquals(1500, first.get("durationMs").asLong());
        assertEquals("corr-1", first.get("correlationId").asText());
        assertEquals("corr-2", JSON.readTree(lines.get(1)).get("correlationId").asText());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "token",
                "access_token",
                "id_token",
                "refresh_token",
                "Access_Token",
                "access%5Ftoken",
                "bootstrapToken",
                "client_secret",
                "password",
                "X-Amz-Signature",
                "code"
            })
    void credentialNamedQueryParametersAreStripped(String name) throws Exception {
        String secret = "v4lue-that-must-not-appear";

        log.record(event("alice", "/api/v1/pods?limit=5&" + name + "=" + secret + "&watch=1", "c"));

        String path = JSON.readTree(lines().get(0)).get("path").asText();
        assertEquals("/api/v1/pods?limit=5&watch=1", path);
    }

    @Test
    void onlyCredentialParametersLeaveNoDanglingQuestionMark() throws Exception {
        log.record(event("alice", "/api/v1/pods?access_token=abc", "c"));

        assertEquals("/api/v1/pods", JSON.readTree(lines().get(0)).get("path").asText());
    }

    @Test
    void jwtsAndBearerCredentialsAreRedactedInEveryField() {
        log.record(new AuditEvent(
                TIME,
                JWT,
                "cluster-" + JWT,
                "GET",
                "/api/" + JWT + "/pods",
                401,
                0,
                0,
                Duration.ZERO,
                "Bearer " + JWT.substring(0, 20)));

        String line = out.toString();
        assertFalse(line.contains("eyJ"), line);
        assertFalse(line.contains(JWT.substring(JWT.lastIndexOf('.') + 1)), line);
        assertTrue(line.contains(AuditRedaction.REDACTED), line);
    }

    @Test
    void bootstrapTokenShapedValuesAreRedactedWherePlaced() {
        String token = Secrets.newToken();

        log.record(event("alice", "/enrol/" + token + "?next=" + token, token));

        assertFalse(out.toString().contains(token), out.toString());
    }

    @Test
    void ordinaryKubernetesPathsAndIdsSurviveUnchanged() throws Exception {
        String path = "/apis/apps/v1/namespaces/kube-system/deployments/"
                + "coredns-autoscaler-with-a-rather-long-name-1234567890abcdef"
                + "?labelSelector=app%3Dweb&resourceVersion=12345&timeoutSeconds=30&watch=true";

        log.record(event("alice@example.com", path, "0b8f2f6e-64a1-4c1e-9a59-3c1c9e0c7b11"));

        JsonNode line = JSON.readTree(lines().get(0));
        assertEquals(path, line.get("path").asText());
        assertEquals("alice@example.com", line.get("caller").asText());
        assertEquals(
                "0b8f2f6e-64a1-4c1e-9a59-3c1c9e0c7b11",
                line.get("correlationId").asText());
    }

    @Test
    void randomTokensPlantedAnywhereNeverReachTheLog() {
        Random random = new Random(42);
        List<String> planted = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String secret = randomSecret(random);
            planted.add(secret);
            String[] fields = {"alice", "cluster", "/api/v1/pods", "corr"};
            int target = random.nextInt(fields.length);
            fields[target] = plant(fields[target], secret, random);
            log.record(new AuditEvent(
                    TIME, fields[0], fields[1], "GET", fields[2], 200, 1, 1, Duration.ofMillis(1), fields[3]));
        }

        String written = out.toString();
        for (String secret : planted) {
            assertFalse(written.contains(secret), () -> "leaked " + secret);
        }
    }

    @Test
    void newlinesInFieldsCannotForgeAnotherLine() throws Exception {
        String forged = "/x\n{\"caller\":\"admin\",\"status\":200}";

        log.record(event("alice\r\nadmin", forged, "c"));

        List<String> lines = lines();
        assertEquals(1, lines.size());
        assertEquals(forged, JSON.readTree(lines.get(0)).get("path").asText());
    }

    @Test
    void oddVerbIsRecordedAsOther() throws Exception {
        log.record(new AuditEvent(TIME, "alice", "c", "GET /evil", "/", 400, 0, 0, null, null));

        JsonNode line = JSON.readTree(lines().get(0));
        assertEquals("OTHER", line.get("verb").asText());
        assertTrue(line.get("correlationId").isNull());
    }

    @Test
    void fileLogAppendsAcrossReopen(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("audit.jsonl");
        try (AuditLog first = AuditLog.appendingTo(file)) {
            first.record(event("alice", "/one", "c1"));
        }
        try (AuditLog second = AuditLog.appendingTo(file)) {
            second.record(event("bob", "/two", "c2"));
        }

        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(2, lines.size());
        assertEquals("/two", JSON.readTree(lines.get(1)).get("path").asText());
    }

    private static AuditEvent event(String caller, String path, String correlationId) {
        return new AuditEvent(
                TIME,
                caller,
                "Xq3vG1pQ7cR2bN8mK4wT0a",
                "get",
                path,
                200,
                12,
                3456,
                Duration.ofMillis(1500),
                correlationId);
    }

    // A JWT, a bearer token, or a bootstrap-style token, each freshly random.
    private static String randomSecret(Random random) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String opaque = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        return switch (random.nextInt(3)) {
            case 0 -> "eyJ" + opaque.substring(0, 20) + "." + opaque.substring(20) + "." + opaque;
            case 1 -> opaque;
            default -> "eyJhbGciOiJFUzI1NiJ9." + opaque;
        };
    }

    private static String plant(String field, String secret, Random random) {
        String[] shapes = {"%s", "%s/%s", "%s?access_token=%s", "%s?q=%s", "%s %s", "%s=%s"};
        String shape = shapes[random.nextInt(shapes.length)];
        return shape.equals("%s") ? secret : String.format(shape, field, secret);
    }

    private List<String> lines() {
        return out.toString().lines().toList();
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
