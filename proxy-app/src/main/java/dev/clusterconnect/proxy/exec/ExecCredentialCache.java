package dev.clusterconnect.proxy.exec;

import dev.clusterconnect.proxy.files.PrivateFiles;
import dev.clusterconnect.proxy.token.RefreshPolicy;
import dev.clusterconnect.proxy.token.Token;
import dev.clusterconnect.proxy.token.TokenException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The last credential the exec plugin printed, kept in an owner-only file so the next kubectl
 * invocation (a new process) reuses it instead of signing in again. The file's modification
 * time is when the token was obtained; together with the expiry it decides, by the
 * {@link RefreshPolicy}, when the token is too old to hand out. Tokens of unknown expiry are not
 * cached.
 *
 * <p>The file holds two lines: the key, a JSON array of the plugin's arguments, and the
 * ExecCredential exactly as it was printed. An entry is only handed out for the same arguments,
 * so a kubeconfig that names another token source (another user) for the same cluster, or
 * another relay should the exec stanza ever name one, never gets this one's token. Entries in
 * the older one-line format read as a miss and are replaced. The file is read without Jackson ({@link CacheJson}), so that
 * {@code FastToken} can answer from it before the rest of the program is loaded.
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
                cacheDirectory.resolve("exec").resolve(safe.concat(".json")), RefreshPolicy.DEFAULT, Clock.systemUTC());
    }

    /**
     * The cache of the {@code token --cluster} command for one cluster.
     *
     * @param cacheDirectory e.g. {@code ~/.cache/clusterconnect}
     * @param cluster        the cluster id
     */
    public static ExecCredentialCache forCluster(Path cacheDirectory, String cluster) {
        return forEntry(cacheDirectory, "clusterconnect-".concat(cluster));
    }

    /** The cache file. */
    public Path file() {
        return file;
    }

    /**
     * @param key the plugin's arguments
     * @return the ExecCredential line cached for {@code key}, as it was printed, if its token is
     *     not due for refresh
     */
    public Optional<String> read(List<String> key) {
        try {
            Instant fetchedAt = Files.getLastModifiedTime(file).toInstant();
            String content = Files.readString(file, StandardCharsets.UTF_8);
            // a key may hold a newline, the credential line never does (JSON escapes it)
            int split = content.lastIndexOf('\n');
            if (split < 0) {
                return Optional.empty();
            }
            String credential = content.substring(split + 1);
            // no lambdas or string concatenation on this path: bootstrapping them would cost
            // FastToken more than the rest of its work
            Token token = ExecCredential.fromJson(credential).orElse(null);
            boolean fresh = token != null
                    && token.expiry().isPresent()
                    && !policy.shouldRefresh(token, fetchedAt, clock.instant());
            // the key is compared last, so that FastToken's class-data training run reads it all
            return fresh && key.equals(CacheJson.parse(content.substring(0, split)))
                    ? Optional.of(credential)
                    : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            // an unreadable or corrupt cache only costs a fresh token
            return Optional.empty();
        }
    }

    /**
     * Caches {@code token} for {@code key} if its expiry is known.
     *
     * @return the ExecCredential line to print
     */
    public String write(List<String> key, Token token) {
        String credential = ExecCredential.toJson(token);
        if (token.expiry().isEmpty()) {
            return credential;
        }
        String keyLine = key.stream().map(CacheJson::quote).collect(Collectors.joining(",", "[", "]"));
        try {
            PrivateFiles.writeAtomically(file, (keyLine + "\n" + credential).getBytes(StandardCharsets.UTF_8));
            // the policy measures the lifetime from here; the write itself may have been slow
            Files.setLastModifiedTime(file, FileTime.from(clock.instant()));
        } catch (IOException e) {
            throw new TokenException("cannot write the credential cache " + file + ": " + e.getMessage(), e);
        }
        return credential;
    }

    /**
     * Deletes every entry under {@code cacheDirectory} whose key (the plugin's arguments) passes
     * {@code key}, e.g. those of one OIDC client on sign-out. Entries without a readable key are
     * kept (they are never handed out anyway).
     *
     * @param cacheDirectory e.g. {@code ~/.cache/clusterconnect}
     * @param key            which command lines to forget
     * @return how many entries were deleted
     */
    public static int clearWhere(Path cacheDirectory, Predicate<List<String>> key) {
        Path directory = cacheDirectory.resolve("exec");
        int deleted = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.json")) {
            for (Path file : files) {
                Optional<List<String>> arguments = keyOf(file);
                if (arguments.isPresent() && key.test(arguments.get()) && Files.deleteIfExists(file)) {
                    deleted++;
                }
            }
        } catch (NoSuchFileException | NotDirectoryException e) {
            return 0;
        } catch (IOException e) {
            throw new TokenException("cannot clear the credential cache " + directory + ": " + e.getMessage(), e);
        }
        return deleted;
    }

    private static Optional<List<String>> keyOf(Path file) {
        try {
            String content = Files.readString(file, StandardCharsets.UTF_8);
            int split = content.lastIndexOf('\n');
            if (split < 0) {
                return Optional.empty();
            }
            if (!(CacheJson.parse(content.substring(0, split)) instanceof List<?> values)) {
                return Optional.empty();
            }
            List<String> arguments = new ArrayList<>();
            for (Object value : values) {
                if (!(value instanceof String argument)) {
                    return Optional.empty();
                }
                arguments.add(argument);
            }
            return Optional.of(arguments);
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
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
