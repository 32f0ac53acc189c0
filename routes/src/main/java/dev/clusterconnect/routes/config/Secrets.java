package dev.clusterconnect.routes.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.function.Supplier;

/**
 * A secret kept in a file and re-read when the file changes: Kubernetes rotates projected
 * service-account tokens (hourly) and updates mounted Secrets in place.
 */
public final class Secrets {

    private Secrets() {}

    /** The trimmed content of {@code file}, re-read whenever its modification time changes. */
    public static Supplier<String> fromFile(Path file) {
        return new Supplier<>() {
            private FileTime seen;
            private String value;

            @Override
            public synchronized String get() {
                try {
                    FileTime modified = Files.getLastModifiedTime(file);
                    if (!modified.equals(seen)) {
                        value = Files.readString(file).trim();
                        seen = modified;
                    }
                    return value;
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read secret file " + file, e);
                }
            }
        };
    }
}
