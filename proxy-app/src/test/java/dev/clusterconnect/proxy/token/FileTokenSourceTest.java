package dev.clusterconnect.proxy.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTokenSourceTest {

    @TempDir
    Path dir;

    @Test
    void unchangedFileIsNotReadAgain() throws Exception {
        Path file = dir.resolve("token");
        Files.writeString(file, "first\n");
        FileTokenSource source = new FileTokenSource(file);

        Token first = source.token();

        assertEquals("first", first.value());
        assertSame(first, source.token());
    }

    @Test
    void rewrittenFileIsPickedUp() throws Exception {
        Path file = dir.resolve("token");
        Files.writeString(file, "first");
        FileTokenSource source = new FileTokenSource(file);
        source.token();

        Files.writeString(file, "second");
        // same size and, on coarse file systems, possibly the same second: move the time on explicitly
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));

        assertEquals("second", source.token().value());
    }

    @Test
    void fileReplacedByRenameIsPickedUp() throws Exception {
        Path file = dir.resolve("token");
        Files.writeString(file, "first");
        FileTime sameTime = Files.getLastModifiedTime(file);
        FileTokenSource source = new FileTokenSource(file);
        source.token();

        Path next = dir.resolve("token.next");
        Files.writeString(next, "fresh");
        Files.setLastModifiedTime(next, sameTime);
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

        assertEquals("fresh", source.token().value());
    }

    @Test
    void missingOrEmptyFileIsReported() throws Exception {
        Path file = dir.resolve("token");
        FileTokenSource source = new FileTokenSource(file);
        assertTrue(
                assertThrows(TokenException.class, source::token).getMessage().contains(file.toString()));

        Files.writeString(file, "  \n");
        assertTrue(
                assertThrows(TokenException.class, source::token).getMessage().contains("empty"));
    }
}
