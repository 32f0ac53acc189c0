package dev.clusterconnect.proxy.kubeconfig;

import java.io.File;
import java.nio.file.Path;

/**
 * Finds the kubeconfig file to edit the way kubectl does: an explicit file first, then the first
 * entry of {@code $KUBECONFIG}, then {@code ~/.kube/config}.
 */
public final class KubeconfigLocator {

    private KubeconfigLocator() {}

    /**
     * @param explicitFile   the file given with {@code --file}, or {@code null}
     * @param kubeconfigEnv  the value of {@code $KUBECONFIG}, or {@code null}
     * @param home           the user's home directory
     * @return the file to read and write (it may not exist yet)
     */
    public static Path locate(Path explicitFile, String kubeconfigEnv, Path home) {
        if (explicitFile != null) {
            return explicitFile;
        }
        if (kubeconfigEnv != null) {
            // File.pathSeparator is ':' on POSIX and ';' on Windows, as in client-go
            for (String entry : kubeconfigEnv.split(File.pathSeparator)) {
                if (!entry.isBlank()) {
                    return Path.of(entry);
                }
            }
        }
        return home.resolve(".kube").resolve("config");
    }

    /** {@link #locate(Path, String, Path)} for the current process's environment and user. */
    public static Path locate(Path explicitFile) {
        return locate(explicitFile, System.getenv("KUBECONFIG"), Path.of(System.getProperty("user.home")));
    }
}
