package dev.clusterconnect.proxy.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clusterconnect.proxy.token.MutableClock;
import dev.clusterconnect.proxy.token.RefreshPolicy;
import dev.clusterconnect.proxy.token.TestJwts;
import dev.clusterconnect.proxy.token.Token;
import dev.clusterconnect.proxy.token.TokenSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecCredentialPluginTest {

    private static final List<String> KEY = List.of("token", "--cluster", "prod");

    @TempDir
    Path cacheDir;

    private final MutableClock clock = new MutableClock(Instant.now());
    private final AtomicInteger fetches = new AtomicInteger();
    private final TokenSource hourlyTokens = () -> {
        fetches.incrementAndGet();
        return Token.of(TestJwts.expiringAt(clock.instant().plus(Duration.ofHours(1))));
    };

    @Test
    void laterInvocationsReuseTheCachedTokenUntilItNearsExpiry() {
        Path file = cacheDir.resolve("exec/clusterconnect-prod.json");

        String first = plugin(file).credentialJson();
        clock.advance(Duration.ofMinutes(50));
        String second = plugin(file).credentialJson();
        clock.advance(Duration.ofMinutes(6));
        String third = plugin(file).credentialJson();

        assertEquals(first, second);
        assertNotEquals(first, third);
        assertEquals(2, fetches.get());
    }

    @Test
    void cacheFileIsOwnerOnlyAndHoldsTheCredential() throws Exception {
        Path file = cacheDir.resolve("exec/clusterconnect-prod.json");

        String printed = plugin(file).credentialJson();

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(printed, Files.readAllLines(file).get(1));
    }

    @Test
    void tokensOfUnknownExpiryAreNotCached() {
        Path file = cacheDir.resolve("exec/opaque.json");
        ExecCredentialCache cache = new ExecCredentialCache(file, RefreshPolicy.DEFAULT, clock);

        new ExecCredentialPlugin(() -> new Token("opaque", null), cache, KEY).credentialJson();

        assertFalse(Files.exists(file));
    }

    @Test
    void entryNamesBecomeSafeFileNames() {
        ExecCredentialCache cache = ExecCredentialCache.forEntry(cacheDir, "clusterconnect-../../etc/passwd");

        assertTrue(cache.file().startsWith(cacheDir.resolve("exec")));
        assertEquals(cacheDir.resolve("exec"), cache.file().getParent());
    }

    private ExecCredentialPlugin plugin(Path file) {
        return new ExecCredentialPlugin(hourlyTokens, new ExecCredentialCache(file, RefreshPolicy.DEFAULT, clock), KEY);
    }
}
