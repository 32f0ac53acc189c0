package dev.clusterconnect.proxy.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clusterconnect.proxy.token.Token;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ExecCredentialTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void credentialHasTheV1ShapeWithAWholeSecondUtcExpiry() throws Exception {
        Token token = new Token("abc", Instant.parse("2030-01-02T03:04:05.678Z"));

        JsonNode json = MAPPER.readTree(ExecCredential.toJson(token));

        assertEquals("client.authentication.k8s.io/v1", json.get("apiVersion").asText());
        assertEquals("ExecCredential", json.get("kind").asText());
        assertEquals("abc", json.at("/status/token").asText());
        assertEquals(
                "2030-01-02T03:04:05Z", json.at("/status/expirationTimestamp").asText());
    }

    @Test
    void unknownExpiryLeavesTheTimestampOut() throws Exception {
        JsonNode json = MAPPER.readTree(ExecCredential.toJson(new Token("abc", null)));

        assertTrue(json.at("/status/expirationTimestamp").isMissingNode());
    }

    @Test
    void credentialReadsBackToTheSameToken() {
        Token token = new Token("abc", Instant.parse("2030-01-02T03:04:05Z"));

        assertEquals(
                token, ExecCredential.fromJson(ExecCredential.toJson(token)).orElseThrow());
    }

    @Test
    void foreignOrBrokenDocumentsReadAsNothing() {
        assertTrue(ExecCredential.fromJson(
                        "{\"apiVersion\":\"client.authentication.k8s.io/v1beta1\"," + "\"status\":{\"token\":\"x\"}}")
                .isEmpty());
        assertTrue(ExecCredential.fromJson("not json").isEmpty());
        assertTrue(ExecCredential.fromJson("{\"apiVersion\":\"client.authentication.k8s.io/v1\","
                        + "\"status\":{\"token\":\"x\",\"expirationTimestamp\":\"soon\"}}")
                .isEmpty());
    }
}
