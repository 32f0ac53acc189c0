package dev.clusterconnect.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import dev.clusterconnect.relay.store.AgentKey;
import dev.clusterconnect.relay.store.AgentKeys;
import dev.clusterconnect.relay.store.AlreadyExistsException;
import dev.clusterconnect.relay.store.BootstrapTokenRejectedException;
import dev.clusterconnect.relay.store.BootstrapTokens;
import dev.clusterconnect.relay.store.UnknownClusterException;
import dev.clusterconnect.routes.http.HttpCall;
import dev.clusterconnect.routes.status.KubeStatusException;
import java.text.ParseException;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /agent/v1/enroll}: an agent trades a one-time bootstrap token for having its public
 * key stored. From then on it authenticates with tokens signed by the matching private key.
 */
public final class AgentEnrollment implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(AgentEnrollment.class);

    private final BootstrapTokens bootstrapTokens;
    private final AgentKeys agentKeys;

    AgentEnrollment(BootstrapTokens bootstrapTokens, AgentKeys agentKeys) {
        this.bootstrapTokens = bootstrapTokens;
        this.agentKeys = agentKeys;
    }

    @Override
    public void process(Exchange exchange) {
        HttpCall call = exchange.getMessage().getBody(HttpCall.class);
        JsonNode body = JsonRequests.read(call);
        String clusterId = JsonRequests.text(body, "clusterId");
        String token = JsonRequests.text(body, "bootstrapToken");
        // Checked before the token is consumed, so a malformed key does not burn the token.
        ECKey key = publicKey(body.get("publicKey"));
        String jwk = key.toJSONString();
        try {
            bootstrapTokens.consume(clusterId, token);
        } catch (BootstrapTokenRejectedException e) {
            if (!(e.reason() == BootstrapTokenRejectedException.Reason.ALREADY_USED && alreadyEnrolled(clusterId, key))) {
                LOG.warn("[{}] refused to enrol an agent for cluster {}: bootstrap token {}", call.correlationId(), clusterId, e.reason());
                throw new KubeStatusException(401, "the bootstrap token for cluster " + clusterId + " is refused: " + explain(e.reason()));
            }
            // The agent retries after losing our answer: its key is in already, answer as before.
            LOG.info("[{}] agent of cluster {} repeated its enrolment of key {}", call.correlationId(), clusterId, key.getKeyID());
            JsonRequests.reply(exchange, 201, answer(clusterId, key.getKeyID()));
            return;
        }
        try {
            agentKeys.add(clusterId, key.getKeyID(), jwk);
        } catch (IllegalArgumentException e) {
            throw new KubeStatusException(400, "the public key is refused: " + e.getMessage());
        } catch (AlreadyExistsException e) {
            throw new KubeStatusException(409, "cluster " + clusterId + " already has a key " + key.getKeyID());
        } catch (UnknownClusterException e) {
            throw new KubeStatusException(404, "no cluster " + clusterId);
        }
        LOG.info("[{}] enrolled key {} for the agent of cluster {}", call.correlationId(), key.getKeyID(), clusterId);
        JsonRequests.reply(exchange, 201, answer(clusterId, key.getKeyID()));
    }

    /** A public EC P-256 JWK with a usable key id; 400 otherwise. */
    static ECKey publicKey(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new KubeStatusException(400, "the request needs \"publicKey\", a JWK object");
        }
        JWK jwk;
        try {
            jwk = JWK.parse(node.toString());
        } catch (ParseException e) {
            throw new KubeStatusException(400, "\"publicKey\" is not a valid JWK");
        }
        if (jwk.isPrivate()) {
            // Name the problem, never the key material.
            throw new KubeStatusException(400, "\"publicKey\" holds private key members: send the public key only");
        }
        if (!(jwk instanceof ECKey ec) || !Curve.P_256.equals(ec.getCurve())) {
            throw new KubeStatusException(400, "\"publicKey\" must be an EC P-256 key");
        }
        if (ec.getKeyID() == null || !ec.getKeyID().matches("[A-Za-z0-9._:-]{1,128}")) {
            throw new KubeStatusException(400, "\"publicKey\" needs a \"kid\" of 1 to 128 of A-Z a-z 0-9 . _ : -");
        }
        return ec;
    }

    static ObjectNode answer(String clusterId, String kid) {
        return JsonRequests.JSON.createObjectNode().put("clusterId", clusterId).put("kid", kid);
    }

    private boolean alreadyEnrolled(String clusterId, ECKey key) {
        Optional<AgentKey> stored = agentKeys.findActive(clusterId, key.getKeyID());
        try {
            return stored.isPresent() && ECKey.parse(stored.get().jwk()).toPublicJWK().equals(key.toPublicJWK());
        } catch (ParseException e) {
            return false;
        }
    }

    private static String explain(BootstrapTokenRejectedException.Reason reason) {
        return switch (reason) {
            case UNKNOWN -> "it was never issued for this cluster (or was purged)";
            case ALREADY_USED -> "it was used already; issue a new one";
            case EXPIRED -> "it has expired; issue a new one";
        };
    }
}
