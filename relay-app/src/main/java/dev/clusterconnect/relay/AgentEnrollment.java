package dev.clusterconnect.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.ECKey;
import dev.clusterconnect.relay.store.AgentKey;
import dev.clusterconnect.relay.store.AgentKeys;
import dev.clusterconnect.relay.store.AlreadyExistsException;
import dev.clusterconnect.relay.store.BootstrapTokenRejectedException;
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
 * key stored, under the key id the relay gives it ({@link AgentPublicKey}). From then on it
 * authenticates with tokens signed by the matching private key.
 */
public final class AgentEnrollment implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(AgentEnrollment.class);

    private final AgentKeys agentKeys;

    AgentEnrollment(AgentKeys agentKeys) {
        this.agentKeys = agentKeys;
    }

    @Override
    public void process(Exchange exchange) {
        HttpCall call = exchange.getMessage().getBody(HttpCall.class);
        JsonNode body = JsonRequests.read(call);
        String clusterId = JsonRequests.text(body, "clusterId");
        String token = JsonRequests.text(body, "bootstrapToken");
        // Checked before the token is consumed, so a malformed key does not burn the token.
        ECKey key = AgentPublicKey.read(body.get("publicKey"));
        String kid = key.getKeyID();
        try {
            // The token is consumed only with the key stored: a refusal below leaves it usable.
            agentKeys.enrol(clusterId, token, kid, key.toJSONString());
        } catch (BootstrapTokenRejectedException e) {
            if (!(e.reason() == BootstrapTokenRejectedException.Reason.ALREADY_USED
                    && alreadyEnrolled(clusterId, key))) {
                LOG.warn(
                        "[{}] refused to enrol an agent for cluster {}: bootstrap token {}",
                        call.correlationId(),
                        clusterId,
                        e.reason());
                throw new KubeStatusException(
                        401, "the bootstrap token for cluster " + clusterId + " is refused: " + explain(e.reason()));
            }
            // The agent retries after losing our answer: its key is in already, answer as before.
            LOG.info("[{}] agent of cluster {} repeated its enrolment of key {}", call.correlationId(), clusterId, kid);
            JsonRequests.reply(exchange, 201, answer(clusterId, kid));
            return;
        } catch (IllegalArgumentException e) {
            throw new KubeStatusException(400, "the public key is refused: " + e.getMessage());
        } catch (AlreadyExistsException e) {
            throw new KubeStatusException(
                    409,
                    "cluster " + clusterId + " already has (or had) the key " + kid
                            + "; the bootstrap token was not used");
        } catch (UnknownClusterException e) {
            throw new KubeStatusException(404, "no cluster " + clusterId);
        }
        LOG.info("[{}] enrolled key {} for the agent of cluster {}", call.correlationId(), kid, clusterId);
        JsonRequests.reply(exchange, 201, answer(clusterId, kid));
    }

    static ObjectNode answer(String clusterId, String kid) {
        return JsonRequests.JSON.createObjectNode().put("clusterId", clusterId).put("kid", kid);
    }

    private boolean alreadyEnrolled(String clusterId, ECKey key) {
        Optional<AgentKey> stored = agentKeys.findActive(clusterId, key.getKeyID());
        try {
            return stored.isPresent()
                    && ECKey.parse(stored.get().jwk()).toPublicJWK().equals(key.toPublicJWK());
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
