package dev.clusterconnect.proxy.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes files that hold credentials: readable by the owner only (0600 on POSIX), replaced
 * atomically so a reader (kubectl, a second proxy) never sees half a file.
 */
public final class PrivateFiles {

    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");

    private PrivateFiles() {}

    /**
     * Replaces {@code target} with {@code content}: the bytes go to a temporary file in the same
     * directory (same file system, so the rename is atomic), are flushed to disk, then moved over
     * the target. Missing parent directories are created, private to the owner. When the target
     * is a symbolic link (a kubeconfig kept in a dotfiles repository), the file it points to is
     * replaced and the link kept.
     *
     * @param target  the file to write
     * @param content the complete new content
     * @throws IOException if the directory cannot be created or the file cannot be written
     */
    public static void writeAtomically(Path target, byte[] content) throws IOException {
        Path resolved = resolveLink(target.toAbsolutePath());
        Path directory = resolved.getParent();
        createPrivateDirectories(directory);
        Path temporary = createPrivateTempFile(directory, resolved.getFileName().toString());
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temporary, resolved, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * Creates {@code directory} and its missing parents; directories created here are private to
     * the owner (0700 on POSIX). Existing directories keep their permissions.
     *
     * @param directory the directory that must exist afterwards
     * @throws IOException if it cannot be created
     */
    public static void createPrivateDirectories(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            return;
        }
        if (isPosix()) {
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(OWNER_DIR));
        } else {
            Files.createDirectories(directory);
        }
    }

    /** Whether the default file system understands POSIX permissions (false on Windows). */
    public static boolean isPosix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    private static Path createPrivateTempFile(Path directory, String name) throws IOException {
        // a dot prefix keeps editors and kubectl globbing away from the short-lived file
        String prefix = "." + name + ".";
        if (isPosix()) {
            FileAttribute<Set<PosixFilePermission>> ownerOnly = PosixFilePermissions.asFileAttribute(OWNER_FILE);
            return Files.createTempFile(directory, prefix, ".tmp", ownerOnly);
        }
        return Files.createTempFile(directory, prefix, ".tmp");
    }

    private static Path resolveLink(Path target) throws IOException {
        return Files.isSymbolicLink(target) && Files.exists(target) ? target.toRealPath() : target;
    }
}
