package dev.clusterconnect.agent.identity;

import java.io.IOException;
import java.util.Optional;

/** Where the agent keeps its private key between runs: a 0600 file or a Kubernetes Secret. */
public interface KeyStorage {

    Optional<StoredKey> load() throws IOException;

    /** Replaces what is stored. */
    void save(StoredKey key) throws IOException;

    /** For log messages: where the key lives, never what it is. */
    String describe();
}
