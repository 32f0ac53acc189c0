package dev.clusterconnect.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import dev.clusterconnect.routes.status.KubeStatusException;
import java.text.ParseException;

/**
 * The public key an agent sends to enrol or rotate, named by the relay. The key id is the key's
 * RFC 7638 SHA-256 thumbprint, so an agent cannot choose the name its key is stored and looked up
 * under (a kid shaped like another agent's, or like a log line). One home for this rule: both
 * {@link AgentEnrollment} and {@link AgentKeyRotation} read keys here.
 */
final class AgentPublicKey {

    private AgentPublicKey() {}

    /**
     * A public EC P-256 JWK, with its {@code kid} set to its thumbprint; 400 otherwise. A {@code kid}
     * sent along must already be that thumbprint: a different one is refused rather than silently
     * replaced, so an agent never believes its key is known under a name the relay does not use.
     */
    static ECKey read(JsonNode node) {
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
        String thumbprint = thumbprint(ec);
        if (ec.getKeyID() != null && !ec.getKeyID().equals(thumbprint)) {
            // The agent's own text is not echoed: the expected value says all it needs.
            throw new KubeStatusException(
                    400,
                    "\"publicKey\" has a \"kid\" other than its RFC 7638 SHA-256 thumbprint " + thumbprint
                            + ": the relay names keys by thumbprint; send that \"kid\" or none");
        }
        return new ECKey.Builder(ec).keyID(thumbprint).build().toPublicJWK();
    }

    private static String thumbprint(ECKey key) {
        try {
            return key.computeThumbprint().toString();
        } catch (JOSEException e) {
            // SHA-256 is in every Java runtime; nimbus only declares the exception.
            throw new IllegalStateException("cannot compute the key's thumbprint", e);
        }
    }
}
