package dev.clusterconnect.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.ECKey;
import dev.clusterconnect.relay.store.AgentKeys;
import dev.clusterconnect.relay.store.AlreadyExistsException;
import dev.clusterconnect.routes.http.HttpCall;
import dev.clusterconnect.routes.status.KubeStatusException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /agent/v1/keys}: an agent that proves it holds its current key (a token signed by it)
 * replaces it with a new one. The new key is added and the old one revoked in one transaction.
 */
public final class AgentKeyRotation implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(AgentKeyRotation.class);

    private final AgentJwtVerifier verifier;
    private final AgentKeys agentKeys;

    AgentKeyRotation(AgentJwtVerifier verifier, AgentKeys agentKeys) {
        this.verifier = verifier;
        this.agentKeys = agentKeys;
    }

    @Override
    public void process(Exchange exchange) {
        HttpCall call = exchange.getMessage().getBody(HttpCall.class);
        String clusterId = call.head().headers().get(AgentAuthenticator.CLUSTER_HEADER);
        AgentJwtVerifier.Result result =
                verifier.verify(AgentAuthenticator.bearer(call.head().headers().get("Authorization")), clusterId);
        if (result instanceof AgentJwtVerifier.Result.Refused refused) {
            LOG.warn(
                    "[{}] refused a key rotation for cluster {}: {}",
                    call.correlationId(),
                    clusterId,
                    refused.message());
            throw new KubeStatusException(refused.status(), refused.message());
        }
        AgentJwtVerifier.Result.Verified agent = (AgentJwtVerifier.Result.Verified) result;
        JsonNode body = JsonRequests.read(call);
        ECKey key = AgentPublicKey.read(body.get("publicKey"));
        try {
            agentKeys.rotate(agent.clusterId(), agent.kid(), key.getKeyID(), key.toJSONString());
        } catch (IllegalArgumentException e) {
            throw new KubeStatusException(400, "the public key is refused: " + e.getMessage());
        } catch (AlreadyExistsException e) {
            throw new KubeStatusException(
                    409, "cluster " + agent.clusterId() + " already has (or had) the key " + key.getKeyID());
        } catch (IllegalStateException e) {
            // Revoked between verification and rotation: a concurrent rotation won.
            throw new KubeStatusException(401, "key " + agent.kid() + " is no longer active");
        }
        LOG.info(
                "[{}] agent of cluster {} rotated key {} to {}",
                call.correlationId(),
                agent.clusterId(),
                agent.kid(),
                key.getKeyID());
        JsonRequests.reply(exchange, 201, AgentEnrollment.answer(agent.clusterId(), key.getKeyID()));
    }
}
