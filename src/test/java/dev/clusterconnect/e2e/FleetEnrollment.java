package dev.clusterconnect.e2e;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.clusterconnect.relay.store.RelayDatabase;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Registers a fleet of clusters in the relay's store before the relay starts, each with its own
 * enrolled EC P-256 key, the way a real enrolment leaves them (the store keys agents by cluster
 * and key id and would accept one key for every cluster, but every real agent holds its own key,
 * and the relay's key lookups should see as many keys as agents). The private keys go to a file
 * that only the simulated agents read, one {@code clusterId<TAB>private JWK} line per agent.
 *
 * <p>Enrolling 10,000 agents through the store takes about a minute on two busy cores, so the
 * enrolled store is kept in {@code target/agent-fleet-<count>/} and copied for each run (the relay
 * marks every cluster disconnected when it starts, so a copy is as good as new).
 */
final class FleetEnrollment {

    private static final String DONE = "complete";

    private FleetEnrollment() {}

    /**
     * Puts an enrolled store of {@code count} agents in {@code databaseDir} and their keys in
     * {@code keysFile}.
     *
     * @return how long enrolment took in milliseconds, 0 when the cached fleet was reused
     */
    static long enroll(Path databaseDir, int count, Path keysFile) throws IOException {
        Path cache = Path.of("target", "agent-fleet-" + count).toAbsolutePath();
        long start = System.nanoTime();
        boolean cached = Files.exists(cache.resolve(DONE));
        if (!cached) {
            enrollInto(cache, count);
        }
        Files.createDirectories(databaseDir);
        try (Stream<Path> files = Files.list(cache.resolve("relay-db"))) {
            for (Path file : files.toList()) {
                Files.copy(file, databaseDir.resolve(file.getFileName()));
            }
        }
        Files.copy(cache.resolve("agent-keys.tsv"), keysFile);
        return cached ? 0 : (System.nanoTime() - start) / 1_000_000;
    }

    private static void enrollInto(Path cache, int count) throws IOException {
        Files.createDirectories(cache);
        // Key generation is the slow part and needs no store: both cores.
        List<ECKey> keys =
                IntStream.range(0, count).parallel().mapToObj(i -> newKey()).toList();
        try (RelayDatabase database = RelayDatabase.openEmbedded(cache.resolve("relay-db"));
                BufferedWriter lines = Files.newBufferedWriter(cache.resolve("agent-keys.tsv"))) {
            for (int i = 0; i < count; i++) {
                String cluster = database.clusters()
                        .register(Chain.OWNER, String.format(Locale.ROOT, "fleet-%05d", i))
                        .id();
                ECKey key = keys.get(i);
                database.agentKeys()
                        .add(cluster, key.getKeyID(), key.toPublicJWK().toJSONString());
                lines.write(cluster + "\t" + key.toJSONString() + "\n");
            }
        }
        Files.writeString(cache.resolve(DONE), count + "\n");
    }

    /** A key as the agent makes one (AgentIdentity): P-256, key id from the thumbprint. */
    private static ECKey newKey() {
        try {
            ECKey generated = new ECKeyGenerator(Curve.P_256).generate();
            return new ECKey.Builder(generated).keyIDFromThumbprint().build();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
