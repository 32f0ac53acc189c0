package dev.clusterconnect.routes.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsTest {

    @TempDir
    Path dir;

    @Test
    void aRotatedTokenFileIsReadAgainAndAnUnchangedOneIsNot() throws Exception {
        Path token = dir.resolve("token");
        Files.writeString(token, "first\n");
        Supplier<String> secret = Secrets.fromFile(token);
        assertThat(secret.get()).isEqualTo("first");

        // Kubernetes swaps projected tokens by renaming a new file into place.
        Path next = dir.resolve("token.next");
        Files.writeString(next, "second");
        Files.setLastModifiedTime(next, FileTime.from(Instant.now().plusSeconds(5)));
        Files.move(next, token, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        assertThat(secret.get()).isEqualTo("second");

        FileTime unchanged = Files.getLastModifiedTime(token);
        Files.writeString(token, "third");
        Files.setLastModifiedTime(token, unchanged);
        assertThat(secret.get())
                .as("same modification time: the cached value stands")
                .isEqualTo("second");
    }
}
