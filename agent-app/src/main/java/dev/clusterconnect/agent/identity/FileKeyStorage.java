package dev.clusterconnect.agent.identity;

import dev.clusterconnect.routes.tls.PemFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The key in a file, written atomically and readable by the owner only (0600). */
public final class FileKeyStorage implements KeyStorage {

    private final Path file;

    public FileKeyStorage(Path file) {
        this.file = file;
    }

    @Override
    public Optional<StoredKey> load() throws IOException {
        return Files.exists(file) ? Optional.of(StoredKey.parse(Files.readString(file))) : Optional.empty();
    }

    @Override
    public void save(StoredKey key) {
        PemFiles.writePrivate(file, key.toJson());
    }

    @Override
    public String describe() {
        return "file " + file;
    }
}
