package dev.clusterconnect.proxy.kubeconfig;

import dev.clusterconnect.proxy.files.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A kubeconfig holding exactly one cluster, for {@code --kubeconfig} or a CI job's
 * {@code $KUBECONFIG}, so the user's own file is never touched.
 */
public final class StandaloneKubeconfig {

    private StandaloneKubeconfig() {}

    /**
     * @param entry the only cluster, user and context; it becomes the current context
     * @return the YAML text
     */
    public static String render(KubeconfigEntry entry) {
        return KubeconfigDocument.parse("")
                .withItem(KubeconfigDocument.CLUSTERS, entry.clusterItem())
                .withItem(KubeconfigDocument.CONTEXTS, entry.contextItem())
                .withCurrentContext(entry.name())
                .withItem(KubeconfigDocument.USERS, entry.userItem())
                .text();
    }

    /**
     * Writes {@link #render(KubeconfigEntry)} to {@code file} atomically, readable by the owner
     * only, replacing any previous content.
     */
    public static void write(Path file, KubeconfigEntry entry) throws IOException {
        PrivateFiles.writeAtomically(file, render(entry).getBytes(StandardCharsets.UTF_8));
    }
}
