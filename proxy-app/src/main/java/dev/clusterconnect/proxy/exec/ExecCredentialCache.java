package dev.clusterconnect.proxy.exec;

import dev.clusterconnect.proxy.files.PrivateFiles;
import dev.clusterconnect.proxy.token.RefreshPolicy;
import dev.clusterconnect.proxy.token.Token;
import dev.clusterconnect.proxy.token.TokenException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * The last credential the exec plugin printed, kept in an owner-only file so the next kubectl
 * invocation (a new process) reuses it instead of signing in again. The file's modification
 * time is when the token was obtained; together with the expiry it decides, by the
 * {@link RefreshPolicy}, when the token is too old to hand out. Tokens of unknown expiry are not
 * cached.
 */
public final class ExecCredentialCache {

    private final Path file;
    private final RefreshPolicy policy;
    private final Clock clock;

    /**
     * @param file   the cache file
     * @param policy when a cached token is too close to expiry to reuse
     * @param clock  the time source
     */
    public ExecCredentialCache(Path file, RefreshPolicy policy, Clock clock) {
        this.file = file;
        this.policy = policy;
        this.clock = clock;
    }

    /**
     * The cache for one kubeconfig entry under the CLI's cache directory.
     *
     * @param cacheDirectory e.g. {@code ~/.cache/clusterconnect}
     * @param name           the kubeconfig entry name, e.g. {@code clusterconnect-prod}
     */
    public static ExecCredentialCache forEntry(Path cacheDirectory, String name) {
        String safe = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return new ExecCredentialCache(
                cacheDirectory.resolve("exec").resolve(safe + ".json"), RefreshPolicy.DEFAULT, Clock.systemUTC());
    }

    /** The cache file. */
    public Path file() {
        return file;
    }

    /** The cached token, if there is one that is not due for refresh. */
    public Optional<Token> read() {
        try {
            Instant fetchedAt = Files.getLastModifiedTime(file).toInstant();
            Optional<Token> cached = ExecCredential.fromJson(Files.readString(file, StandardCharsets.UTF_8));
            return cached.filter(token -> token.expiry().isPresent())
                    .filter(token -> !policy.shouldRefresh(token, fetchedAt, clock.instant()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            // an unreadable cache only costs a fresh token
            return Optional.empty();
        }
    }

    /** Caches {@code token} if its expiry is known. */
    public void write(Token token) {
        if (token.expiry().isEmpty()) {
            return;
        }
        try {
            PrivateFiles.writeAtomically(file, ExecCredential.toJson(token).getBytes(StandardCharsets.UTF_8));
            // the policy measures the lifetime from here; the write itself may have been slow
            Files.setLastModifiedTime(file, FileTime.from(clock.instant()));
        } catch (IOException e) {
            throw new TokenException("cannot write the credential cache " + file + ": " + e.getMessage(), e);
        }
    }

    /** Drops the cached token (e.g. on sign-out). */
    public void clear() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new TokenException("cannot delete " + file + ": " + e.getMessage(), e);
        }
    }
}
