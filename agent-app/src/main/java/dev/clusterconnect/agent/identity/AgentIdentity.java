package dev.clusterconnect.agent.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.clusterconnect.routes.identity.AgentJwt;
import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's key pair: enrolled once with a bootstrap token, kept in {@link KeyStorage}, and used
 * to mint a fresh short-lived token ({@link AgentJwt}) for every tunnel connection. No long-lived
 * shared secret leaves the agent.
 */
public final class AgentIdentity {

    private static final Logger LOG = LoggerFactory.getLogger(AgentIdentity.class);

    private final String clusterId;
    private final KeyStorage storage;
    private final RelayClient relay;
    private final Clock clock;
    private volatile ECKey key;

    private AgentIdentity(String clusterId, KeyStorage storage, RelayClient relay, Clock clock, ECKey key) {
        this.clusterId = clusterId;
        this.storage = storage;
        this.relay = relay;
        this.clock = clock;
        this.key = key;
    }

    /**
     * Loads the kept key, or generates one, keeps it, and enrols it with the bootstrap token.
     *
     * @param bootstrapToken read only when the agent has no enrolled key yet
     * @throws IOException if the key cannot be kept or the relay refuses the enrolment
     */
    public static AgentIdentity establish(
            String clusterId,
            KeyStorage storage,
            RelayClient relay,
            Supplier<Optional<String>> bootstrapToken,
            Clock clock)
            throws IOException {
        Optional<StoredKey> stored = storage.load();
        if (stored.isPresent() && stored.get().enrolled()) {
            LOG.info("agent key {} from {}", stored.get().key().getKeyID(), storage.describe());
            return new AgentIdentity(
                    clusterId, storage, relay, clock, stored.get().key());
        }
        String token = bootstrapToken
                .get()
                .orElseThrow(() -> new IOException("the agent has no enrolled key in " + storage.describe()
                        + " and no bootstrap token to enrol one"));
        // Kept before enrolling: if we crash after the relay stored it, the retry sends the same key.
        StoredKey pending = stored.orElseGet(() -> new StoredKey(generate(), false));
        storage.save(pending);
        relay.enroll(clusterId, token, pending.key());
        storage.save(pending.asEnrolled());
        LOG.info(
                "enrolled agent key {} for cluster {}; kept in {}",
                pending.key().getKeyID(),
                clusterId,
                storage.describe());
        return new AgentIdentity(clusterId, storage, relay, clock, pending.key());
    }

    /** The handshake's {@code Authorization} value: a token minted now. */
    public String authorization() {
        return "Bearer " + AgentJwt.mint(key, clusterId, clock.instant(), AgentJwt.LIFETIME);
    }

    public String keyId() {
        return key.getKeyID();
    }

    /**
     * Replaces the key: the relay adds the new public key and revokes the current one in one step,
     * authorised by a token of the current key. The current tunnel stays up; the next connection
     * uses the new key.
     */
    public synchronized void rotate() throws IOException {
        ECKey next = generate();
        relay.rotate(clusterId, AgentJwt.mint(key, clusterId, clock.instant(), AgentJwt.LIFETIME), next);
        storage.save(new StoredKey(next, true));
        LOG.info("rotated agent key {} to {}", key.getKeyID(), next.getKeyID());
        key = next;
    }

    static ECKey generate() {
        try {
            // The RFC 7638 thumbprint as kid: derived from the key, so it cannot collide by accident.
            ECKey generated = new ECKeyGenerator(Curve.P_256).generate();
            return new ECKey.Builder(generated).keyIDFromThumbprint().build();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate an EC P-256 key", e);
        }
    }
}
