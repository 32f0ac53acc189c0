package dev.clusterconnect.proxy.cli;

import dev.clusterconnect.proxy.exec.ExecCredentialCache;
import dev.clusterconnect.proxy.files.ClientDirectories;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * The launcher's entry point for {@code clusterconnect token}: kubectl runs it before every
 * command, so it first looks for a cached credential printed for exactly these arguments and
 * prints it, loading nothing but the cache reader (no picocli, no Camel, no Jackson). Anything
 * else, a miss, an expired or corrupt entry or another command line, runs the whole CLI in the
 * same JVM, which prints and caches a fresh credential.
 */
public final class FastToken {

    private FastToken() {}

    public static void main(String[] args) {
        Optional<String> cached = cached(args, ClientDirectories.current().cache());
        if (cached.isPresent()) {
            System.out.println(cached.get());
            System.out.flush();
            return;
        }
        Clusterconnect.main(args);
    }

    /**
     * @param args           the command line
     * @param cacheDirectory the CLI's cache directory
     * @return the ExecCredential line that {@code TokenCommand} printed and cached for exactly
     *     {@code args}, if it is not due for refresh
     */
    static Optional<String> cached(String[] args, Path cacheDirectory) {
        String cluster = cluster(args);
        if (cluster == null) {
            return Optional.empty();
        }
        // The cluster only names the file; the whole command line must equal the entry's key,
        // which TokenCommand wrote after picocli had parsed these very arguments. So options the
        // scan below misreads (a --cluster that is another option's value) cannot return a wrong
        // entry, only miss.
        return ExecCredentialCache.forCluster(cacheDirectory, cluster).read(Arrays.asList(args));
    }

    private static String cluster(String[] args) {
        if (args.length < 3 || !"token".equals(args[0])) {
            return null;
        }
        String cluster = null;
        for (int i = 1; i < args.length; i++) {
            String value = null;
            if (args[i].equals("--cluster") && i + 1 < args.length) {
                value = args[++i];
            } else if (args[i].startsWith("--cluster=")) {
                value = args[i].substring("--cluster=".length());
            }
            if (value != null && cluster != null) {
                return null;
            }
            cluster = value != null ? value : cluster;
        }
        return cluster;
    }
}
