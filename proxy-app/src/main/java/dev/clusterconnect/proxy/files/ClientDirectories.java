package dev.clusterconnect.proxy.files;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the CLI keeps its own state, following the XDG base directory convention that kubectl
 * plugins and {@code gh} use: {@code $XDG_CONFIG_HOME/clusterconnect} (default
 * {@code ~/.config/clusterconnect}) for long-lived secrets such as refresh tokens, and
 * {@code $XDG_CACHE_HOME/clusterconnect} (default {@code ~/.cache/clusterconnect}) for
 * short-lived ones such as cached exec credentials.
 *
 * @param environment the process environment (usually {@link System#getenv()})
 * @param home        the user's home directory
 */
public record ClientDirectories(Map<String, String> environment, Path home) {

    private static final String APP = "clusterconnect";

    /** The directories of the current user and process. */
    public static ClientDirectories current() {
        // $HOME first: Java's user.home comes from the password database and ignores it, but
        // users (and CI jobs) point HOME elsewhere on purpose.
        String home = System.getenv("HOME");
        return new ClientDirectories(
                System.getenv(), Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home")));
    }

    /** The directory for refresh tokens and settings that survive a reboot. */
    public Path config() {
        return base("XDG_CONFIG_HOME", ".config").resolve(APP);
    }

    /** The directory for cached credentials that may be thrown away at any time. */
    public Path cache() {
        return base("XDG_CACHE_HOME", ".cache").resolve(APP);
    }

    private Path base(String variable, String fallback) {
        String value = environment.get(variable);
        // the XDG spec says relative values are invalid and must be ignored
        if (value != null && !value.isBlank() && Path.of(value).isAbsolute()) {
            return Path.of(value);
        }
        return home.resolve(fallback);
    }
}
