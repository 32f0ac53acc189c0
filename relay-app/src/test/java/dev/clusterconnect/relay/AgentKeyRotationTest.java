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
import dev.clusterconnect.routes.identity.AgentJwt;
import dev.clusterconnect.routes.status.KubeStatusException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /agent/v1/keys} against a real store (embedded H2): the new key is named as at enrolment. */
class AgentKeyRotationTest {

    @TempDir
    Path dir;

    private RelayDatabase db;
    private AgentJwtVerifier verifier;
    private AgentKeyRotation rotation;
    private String clusterId;

    @BeforeEach
    void open() {
        db = RelayDatabase.openEmbedded(dir);
        verifier = new AgentJwtVerifier(db.agentKeys()::find, Clock.systemUTC());
        rotation = new AgentKeyRotation(verifier, db.agentKeys());
        clusterId = db.clusters().register("alice", "prod").id();
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void theNewKeyIsStoredUnderItsThumbprint() throws Exception {
        ECKey current = enrolled(newKey());
        ECKey next = newKey();

        AgentCalls.Answer answer = rotate(current, publicJwk(next, null));

        assertThat(answer.status()).isEqualTo(201);
        assertThat(answer.body().path("kid").asText()).isEqualTo(thumbprint(next));
        assertThat(db.agentKeys().listActive(clusterId))
                .extracting(AgentKey::kid)
                .containsExactly(thumbprint(next));
    }

    @Test
    void aKidChosenByTheAgentIsRefusedAndTheCurrentKeyStays() throws Exception {
        ECKey current = enrolled(newKey());

        KubeStatusException refused = catchThrowableOfType(
                KubeStatusException.class, () -> rotate(current, publicJwk(newKey(), "chosen-by-attacker")));

        assertThat(refused.code()).isEqualTo(400);
        assertThat(refused.getMessage()).contains("RFC 7638");
        assertThat(db.agentKeys().list(clusterId)).extracting(AgentKey::kid).containsExactly(current.getKeyID());
        assertThat(db.agentKeys().findActive(clusterId, current.getKeyID())).isPresent();
    }

    @Test
    void anAgentEnrolledUnderAKidOfItsOwnStillConnectsAndRotatesToAThumbprint() throws Exception {
        // Enrolled before the relay named keys: its kid stays valid for as long as the key does.
        ECKey legacy = new ECKey.Builder(newKey()).keyID("legacy-agent-key").build();
        db.agentKeys().add(clusterId, "legacy-agent-key", legacy.toPublicJWK().toJSONString());
        String token = AgentJwt.mint(legacy, clusterId, Clock.systemUTC().instant(), AgentJwt.LIFETIME);

        assertThat(verifier.verify(token, clusterId))
                .isEqualTo(new AgentJwtVerifier.Result.Verified(clusterId, "legacy-agent-key"));
        ECKey next = newKey();
        AgentCalls.Answer answer = rotate(legacy, publicJwk(next, next.getKeyID()));

        assertThat(answer.status()).isEqualTo(201);
        assertThat(db.agentKeys().listActive(clusterId))
                .extracting(AgentKey::kid)
                .containsExactly(thumbprint(next));
        assertThat(verifier.verify(
                        AgentJwt.mint(next, clusterId, Clock.systemUTC().instant(), AgentJwt.LIFETIME), clusterId))
                .isEqualTo(new AgentJwtVerifier.Result.Verified(clusterId, thumbprint(next)));
    }

    private ECKey enrolled(ECKey key) {
        db.agentKeys().add(clusterId, key.getKeyID(), key.toPublicJWK().toJSONString());
        return key;
    }

    private AgentCalls.Answer rotate(ECKey current, JsonNode newJwk) throws Exception {
        ObjectNode body = JSON.createObjectNode();
        body.set("publicKey", newJwk);
        String token = AgentJwt.mint(current, clusterId, Clock.systemUTC().instant(), AgentJwt.LIFETIME);
        return AgentCalls.post(
                rotation,
                "/agent/v1/keys",
                Map.of("Authorization", "Bearer " + token, AgentAuthenticator.CLUSTER_HEADER, clusterId),
                body);
    }
}
