package dev.clusterconnect.proxy.token;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clusterconnect.proxy.files.PrivateFiles;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Keeps the refresh token of one OIDC client at one issuer in a file only the user can read
 * (0600), so the next run can sign in silently instead of prompting again.
 */
public final class RefreshTokenStore {

    private final Path file;
    private final String issuer;
    private final String clientId;

    private RefreshTokenStore(Path file, String issuer, String clientId) {
        this.file = file;
        this.issuer = issuer;
        this.clientId = clientId;
    }

    /**
     * The store for {@code clientId} at {@code issuer}, a file in {@code directory} named after a
     * hash of both (so several issuers never share or overwrite a token).
     *
     * @param directory e.g. {@code ~/.config/clusterconnect/oidc}
     */
    public static RefreshTokenStore in(Path directory, URI issuer, String clientId) {
        String key = issuer + "\n" + clientId;
        return new RefreshTokenStore(
                directory.resolve(sha256(key).substring(0, 32) + ".json"), issuer.toString(), clientId);
    }

    /**
     * The stores of every issuer and client with a token in {@code directory} (for
     * {@code logout --all}); files that are not stores are skipped.
     */
    public static List<RefreshTokenStore> all(Path directory) {
        List<RefreshTokenStore> stores = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.json")) {
            for (Path file : files) {
                readOwner(file).ifPresent(stores::add);
            }
        } catch (NoSuchFileException | NotDirectoryException e) {
            return List.of();
        } catch (IOException e) {
            throw new TokenException("cannot list " + directory + ": " + e.getMessage(), e);
        }
        stores.sort(
                Comparator.comparing((RefreshTokenStore store) -> store.issuer).thenComparing(store -> store.clientId));
        return stores;
    }

    /** The issuer this store is for. */
    public String issuer() {
        return issuer;
    }

    /** The client this store is for. */
    public String clientId() {
        return clientId;
    }

    /** The file the token is kept in. */
    public Path file() {
        return file;
    }

    /** The stored refresh token, if there is one for this issuer and client. */
    public Optional<String> load() {
        try {
            JsonNode stored = HttpJson.MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8));
            boolean ours = issuer.equals(stored.path("issuer").asText())
                    && clientId.equals(stored.path("client_id").asText());
            String token = stored.path("refresh_token").asText("");
            return ours && !token.isBlank() ? Optional.of(token) : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            // a damaged file only costs the user one more interactive sign-in
            return Optional.empty();
        }
    }

    /** Replaces the stored refresh token. */
    public void save(String refreshToken) {
        ObjectNode stored = HttpJson.MAPPER
                .createObjectNode()
                .put("issuer", issuer)
                .put("client_id", clientId)
                .put("refresh_token", refreshToken);
        try {
            PrivateFiles.writeAtomically(file, HttpJson.MAPPER.writeValueAsBytes(stored));
        } catch (IOException e) {
            throw new TokenException("cannot save the refresh token to " + file + ": " + e.getMessage(), e);
        }
    }

    /** Forgets the refresh token (signed out, or the provider no longer accepts it). */
    public void clear() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new TokenException("cannot delete " + file + ": " + e.getMessage(), e);
        }
    }

    private static Optional<RefreshTokenStore> readOwner(Path file) {
        try {
            JsonNode stored = HttpJson.MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8));
            String issuer = stored.path("issuer").asText("");
            String clientId = stored.path("client_id").asText("");
            return issuer.isBlank() || clientId.isBlank()
                    ? Optional.empty()
                    : Optional.of(new RefreshTokenStore(file, issuer, clientId));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
