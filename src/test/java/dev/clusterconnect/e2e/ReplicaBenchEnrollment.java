package dev.clusterconnect.e2e;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.clusterconnect.relay.store.RelayDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * A fleet of clusters enrolled in the replicas' PostgreSQL database, each with its own EC P-256
 * key, as {@link FleetEnrollment} does for the embedded store. The private keys are kept in
 * {@code target/replica-fleet-keys.tsv} between runs (generating 30,000 takes a minute on two
 * cores); the clusters are registered afresh in every run's new database, a few threads at a time.
 */
final class ReplicaBenchEnrollment {

    private static final int THREADS = 4;

    private ReplicaBenchEnrollment() {}

    /**
     * Registers {@code count} clusters with their keys and returns one {@code clusterId<TAB>private
     * JWK} line per agent, in order, the format {@link SimulatedAgentFleet} reads.
     */
    static List<String> enroll(PostgresDatabase database, int count) throws Exception {
        List<String> keys = keys(count);
        String[] lines = new String[count];
        try (RelayDatabase store = RelayDatabase.open(database.url(), PostgresDatabase.USER, null)) {
            List<Thread> threads = new ArrayList<>();
            List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int t = 0; t < THREADS; t++) {
                int first = t;
                Thread thread = new Thread(
                        () -> {
                            try {
                                for (int i = first; i < count; i += THREADS) {
                                    ECKey key = ECKey.parse(keys.get(i));
                                    String cluster = store.clusters()
                                            .register(Chain.OWNER, String.format(Locale.ROOT, "fleet-%05d", i))
                                            .id();
                                    store.agentKeys()
                                            .add(
                                                    cluster,
                                                    key.getKeyID(),
                                                    key.toPublicJWK().toJSONString());
                                    lines[i] = cluster + "\t" + keys.get(i);
                                }
                            } catch (ParseException | RuntimeException e) {
                                failures.add(e);
                            }
                        },
                        "enrol-" + t);
                threads.add(thread);
                thread.start();
            }
            for (Thread thread : threads) {
                thread.join();
            }
            if (!failures.isEmpty()) {
                throw new IllegalStateException("enrolment failed", failures.get(0));
            }
        }
        return List.of(lines);
    }

    /** Writes the lines of the agents {@code i} with {@code i % slices == slice} into {@code file}. */
    static Path slice(List<String> lines, int slice, int slices, Path file) throws IOException {
        List<String> mine = new ArrayList<>();
        for (int i = slice; i < lines.size(); i += slices) {
            mine.add(lines.get(i));
        }
        return Files.write(file, mine);
    }

    /** The first {@code count} private keys of the cache, generating the missing ones (both cores). */
    private static List<String> keys(int count) throws IOException {
        Path cache = Path.of("target", "replica-fleet-keys.tsv").toAbsolutePath();
        List<String> keys = new ArrayList<>(Files.exists(cache) ? Files.readAllLines(cache) : List.of());
        if (keys.size() < count) {
            keys.addAll(IntStream.range(keys.size(), count)
                    .parallel()
                    .mapToObj(i -> newKey().toJSONString())
                    .toList());
            Files.createDirectories(cache.getParent());
            Files.write(cache, keys);
        }
        return keys.subList(0, count);
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
