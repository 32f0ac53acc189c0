package dev.clusterconnect.agent.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.SignedJWT;
import dev.clusterconnect.routes.identity.AgentJwt;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The relay stores an agent key under its RFC 7638 thumbprint: the agent must name it the same. */
class AgentKeyIdTest {

    @Test
    void aGeneratedKeyIsNamedByItsSha256Thumbprint() throws Exception {
        ECKey key = AgentIdentity.generate();

        assertEquals(key.toPublicJWK().computeThumbprint("SHA-256").toString(), key.getKeyID());
    }

    @Test
    void theAgentsTokensCarryThatThumbprintAsTheirKid() throws Exception {
        ECKey key = AgentIdentity.generate();

        SignedJWT jwt = SignedJWT.parse(AgentJwt.mint(key, "cluster-a", Instant.now(), AgentJwt.LIFETIME));

        assertEquals(
                key.toPublicJWK().computeThumbprint().toString(),
                jwt.getHeader().getKeyID());
    }
}
