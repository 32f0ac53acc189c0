package dev.clusterconnect.proxy.token;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Objects;

/**
 * A token kept in a file, such as a projected service account token or one a sidecar renews.
 * The file is read again whenever its modification time, size or identity changes (Kubernetes
 * swaps projected volumes by replacing a symbolic link, which changes the identity), so a
 * renewed token is picked up without restarting.
 */
public final class FileTokenSource implements TokenSource {

    private final Path file;
    private Stamp stamp;
    private Token token;

    /** @param file the file holding the token, surrounding whitespace ignored */
    public FileTokenSource(Path file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    @Override
    public synchronized Token token() {
        try {
            Stamp current = Stamp.of(Files.readAttributes(file, BasicFileAttributes.class));
            if (!current.equals(stamp)) {
                token = read();
                stamp = current;
            }
            return token;
        } catch (IOException e) {
            throw new TokenException("cannot read the token file " + file + ": " + e.getMessage(), e);
        }
    }

    private Token read() throws IOException {
        String value = Files.readString(file, StandardCharsets.UTF_8).trim();
        if (value.isEmpty()) {
            throw new TokenException("the token file " + file + " is empty");
        }
        return Token.of(value);
    }

    private record Stamp(FileTime modified, long size, Object key) {
        static Stamp of(BasicFileAttributes attributes) {
            return new Stamp(attributes.lastModifiedTime(), attributes.size(), attributes.fileKey());
        }
    }
}
