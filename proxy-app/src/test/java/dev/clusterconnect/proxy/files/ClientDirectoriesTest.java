package dev.clusterconnect.proxy.files;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClientDirectoriesTest {

    private static final Path HOME = Path.of("/home/alice");

    @Test
    void defaultsLiveUnderTheHomeDirectory() {
        ClientDirectories dirs = new ClientDirectories(Map.of(), HOME);

        assertEquals(HOME.resolve(".config/clusterconnect"), dirs.config());
        assertEquals(HOME.resolve(".cache/clusterconnect"), dirs.cache());
    }

    @Test
    void absoluteXdgVariablesWinAndRelativeOnesAreIgnored() {
        ClientDirectories dirs = new ClientDirectories(
                Map.of("XDG_CONFIG_HOME", "/xdg/config", "XDG_CACHE_HOME", "relative/cache"), HOME);

        assertEquals(Path.of("/xdg/config/clusterconnect"), dirs.config());
        assertEquals(HOME.resolve(".cache/clusterconnect"), dirs.cache());
    }
}
