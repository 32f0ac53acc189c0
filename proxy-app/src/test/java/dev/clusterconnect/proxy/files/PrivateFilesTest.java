package dev.clusterconnect.proxy.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateFilesTest {

    @TempDir
    Path dir;

    @Test
    void replacesContentAndLeavesOnlyTheTarget() throws Exception {
        Path file = dir.resolve("secret");
        Files.writeString(file, "old content that is longer");

        PrivateFiles.writeAtomically(file, "new".getBytes());

        assertArrayEquals("new".getBytes(), Files.readAllBytes(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void failedMoveLeavesNoTemporaryFileBehind() throws Exception {
        Path target = dir.resolve("a-directory");
        Files.createDirectory(target);
        Files.writeString(target.resolve("child"), "x");

        // a non-empty directory cannot be replaced by a file
        assertThrows(IOException.class, () -> PrivateFiles.writeAtomically(target, "x".getBytes()));

        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(target), files.toList());
        }
    }

    @Test
    void createdDirectoriesArePrivateButExistingOnesKeepTheirMode() throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path nested = dir.resolve("a/b");

        PrivateFiles.createPrivateDirectories(nested);

        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(nested)));
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
    }
}
