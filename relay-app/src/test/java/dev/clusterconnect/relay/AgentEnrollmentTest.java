package dev.clusterconnect.relay;

import static dev.clusterconnect.relay.AgentCalls.JSON;
import static dev.clusterconnect.relay.AgentCalls.newKey;
import static dev.clusterconnect.relay.AgentCalls.publicJwk;
import static dev.clusterconnect.relay.AgentCalls.thumbprint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.ECKey;
import dev.clusterconnect.relay.store.AgentKey;
import dev.clusterconnect.relay.store.RelayDatabase;
import dev.clusterconnect.routes.status.KubeStatusException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /agent/v1/enroll} against a real store (embedded H2): who names the key, and when the token is spent. */
class AgentEnrollmentTest {

    @TempDir
    Path dir;

    private RelayDatabase db;
    private AgentEnrollment enrollment;
    private String clusterId;

    @BeforeEach
    void open() {
        db = RelayDatabase.openEmbedded(dir);
        enrollment = new AgentEnrollment(db.agentKeys());
        clusterId = db.clusters().register("alice", "prod").id();
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void aKeyIsEnrolledUnderItsThumbprintChosenByTheRelay() throws Exception {
        ECKey key = newKey();

        AgentCalls.Answer answer = enroll(newToken(), publicJwk(key, null));

        assertThat(answer.status()).isEqualTo(201);
        assertThat(answer.body().path("kid").asText()).isEqualTo(thumbprint(key));
        AgentKey stored = db.agentKeys().findActive(clusterId, thumbprint(key)).orElseThrow();
        assertThat(JSON.readTree(stored.jwk()).path("kid").asText()).isEqualTo(thumbprint(key));
    }

    @Test
    void theAgentsOwnThumbprintKidIsAccepted() throws Exception {
        ECKey key = newKey();

        AgentCalls.Answer answer = enroll(newToken(), publicJwk(key, key.getKeyID()));

        assertThat(answer.status()).isEqualTo(201);
        assertThat(answer.body().path("kid").asText()).isEqualTo(key.getKeyID()).isEqualTo(thumbprint(key));
    }

    @Test
    void aKidChosenByTheAgentIsRefusedAndTheTokenSurvives() throws Exception {
        ECKey key = newKey();
        String token = newToken();

        KubeStatusException refused = refusal(token, publicJwk(key, "chosen-by-attacker"));
        AgentCalls.Answer retried = enroll(token, publicJwk(key, null));

        assertThat(refused.code()).isEqualTo(400);
        assertThat(refused.getMessage()).contains("RFC 7638", thumbprint(key)).doesNotContain("chosen-by-attacker");
        assertThat(db.agentKeys().find(clusterId, "chosen-by-attacker")).isEmpty();
        assertThat(retried.status()).isEqualTo(201);
        assertThat(db.agentKeys().list(clusterId)).extracting(AgentKey::kid).containsExactly(thumbprint(key));
    }

    @Test
    void aConflictLeavesTheBootstrapTokenUsableForAnotherKey() throws Exception {
        ECKey enrolled = newKey();
        enroll(newToken(), publicJwk(enrolled, null));
        String token = newToken();

        KubeStatusException conflict = refusal(token, publicJwk(enrolled, null));
        ECKey fresh = newKey();
        AgentCalls.Answer retried = enroll(token, publicJwk(fresh, null));

        assertThat(conflict.code()).isEqualTo(409);
        assertThat(retried.status()).isEqualTo(201);
        assertThat(db.agentKeys().listActive(clusterId))
                .extracting(AgentKey::kid)
                .containsExactlyInAnyOrder(thumbprint(enrolled), thumbprint(fresh));
        assertThat(refusal(token, publicJwk(newKey(), null)).getMessage()).contains("used already");
    }

    @Test
    void anAgentRepeatingItsEnrolmentAfterALostAnswerIsAnsweredAsBefore() throws Exception {
        ECKey key = newKey();
        String token = newToken();
        enroll(token, publicJwk(key, null));

        AgentCalls.Answer repeated = enroll(token, publicJwk(key, key.getKeyID()));

        assertThat(repeated.status()).isEqualTo(201);
        assertThat(repeated.body().path("kid").asText()).isEqualTo(thumbprint(key));
        assertThat(db.agentKeys().list(clusterId)).hasSize(1);
    }

    private String newToken() {
        return db.bootstrapTokens().issue(clusterId, Duration.ofMinutes(15)).token();
    }

    private AgentCalls.Answer enroll(String token, JsonNode jwk) throws Exception {
        ObjectNode body = JSON.createObjectNode().put("clusterId", clusterId).put("bootstrapToken", token);
        body.set("publicKey", jwk);
        return AgentCalls.post(enrollment, "/agent/v1/enroll", Map.of(), body);
    }

    private KubeStatusException refusal(String token, JsonNode jwk) {
        return catchThrowableOfType(KubeStatusException.class, () -> enroll(token, jwk));
    }
}
