package dev.clusterconnect.proxy.kubeconfig;

import dev.clusterconnect.proxy.files.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The user's kubeconfig file, edited in place without disturbing entries this CLI did not write
 * (see {@link KubeconfigDocument} for how). Every change is written atomically with owner-only
 * permissions.
 */
public final class KubeconfigFile {

    private final Path path;

    /**
     * @param path the kubeconfig file; it and its directory may not exist yet
     */
    public KubeconfigFile(Path path) {
        this.path = Objects.requireNonNull(path, "path");
    }

    /** The file this instance edits. */
    public Path path() {
        return path;
    }

    /**
     * Adds the cluster, user and context of {@code entry}, replacing entries of the same name.
     *
     * @param entry       what to add
     * @param makeCurrent whether to point {@code current-context} at the new context
     * @throws IOException if the file cannot be read or written
     * @throws KubeconfigFormatException if the file is not a kubeconfig this CLI can edit (it is left as it was)
     */
    public void merge(KubeconfigEntry entry, boolean makeCurrent) throws IOException {
        edit(document -> merged(document, entry, makeCurrent));
    }

    /** What {@link #merge} writes, given what the file held. */
    static KubeconfigDocument merged(KubeconfigDocument document, KubeconfigEntry entry, boolean makeCurrent) {
        KubeconfigDocument merged = document.withItem(KubeconfigDocument.CLUSTERS, entry.clusterItem())
                .withItem(KubeconfigDocument.USERS, entry.userItem())
                .withItem(KubeconfigDocument.CONTEXTS, entry.contextItem());
        return makeCurrent ? merged.withCurrentContext(entry.name()) : merged;
    }

    /**
     * Removes the cluster, user and context called {@code name}, and clears
     * {@code current-context} if it pointed at it. A missing file or entry is not an error.
     *
     * @param name the entry name, e.g. {@code clusterconnect-prod}
     * @return whether the file held such a context
     * @throws IOException if the file cannot be read or written
     */
    public boolean remove(String name) throws IOException {
        if (!Files.exists(path)) {
            return false;
        }
        boolean present = read().hasItem(KubeconfigDocument.CONTEXTS, name);
        edit(document -> {
            KubeconfigDocument removed = document.withoutItem(KubeconfigDocument.CONTEXTS, name)
                    .withoutItem(KubeconfigDocument.USERS, name)
                    .withoutItem(KubeconfigDocument.CLUSTERS, name);
            boolean wasCurrent = document.currentContext().filter(name::equals).isPresent();
            return wasCurrent ? removed.withCurrentContext(null) : removed;
        });
        return present;
    }

    /** The parsed file; an absent file reads as an empty kubeconfig. */
    public KubeconfigDocument read() throws IOException {
        try {
            return KubeconfigDocument.parse(Files.readString(path, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return KubeconfigDocument.parse("");
        } catch (KubeconfigFormatException e) {
            throw refused(e);
        }
    }

    private KubeconfigFormatException refused(KubeconfigFormatException e) {
        return new KubeconfigFormatException(path + " is left unchanged: " + e.getMessage(), e);
    }

    private void edit(UnaryOperator<KubeconfigDocument> change) throws IOException {
        KubeconfigDocument before = read();
        KubeconfigDocument after;
        try {
            after = change.apply(before);
        } catch (KubeconfigFormatException e) {
            throw refused(e);
        }
        if (!after.text().equals(before.text()) || !Files.exists(path)) {
            PrivateFiles.writeAtomically(path, after.text().getBytes(StandardCharsets.UTF_8));
        }
    }
}
