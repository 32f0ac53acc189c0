package dev.clusterconnect.proxy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening the verification page: xdg-open only with a display, and never a failure without one. */
class BrowserTest {

    private static final URI PAGE = URI.create("https://idp.example.com/device?user_code=WDJB-MJHT");

    @TempDir
    Path bin;

    private Path opened;

    @BeforeEach
    void fakeXdgOpen() throws Exception {
        opened = bin.resolve("opened");
        Path script = bin.resolve("xdg-open");
        Files.writeString(script, "#!/bin/sh\nprintf '%s' \"$1\" > '" + opened + "'\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    }

    @Test
    void withADisplayXdgOpenShowsThePage() throws Exception {
        Browser browser = new Browser(Map.of("PATH", bin.toString(), "DISPLAY", ":0"), "Linux", false);

        assertEquals(Optional.of("xdg-open"), browser.open(PAGE));
        assertEquals(PAGE.toString(), Files.readString(opened));
    }

    @Test
    void onAHeadlessMachineNothingOpensAndNothingFails() {
        Browser browser = new Browser(Map.of("PATH", bin.toString()), "Linux", false);

        assertEquals(Optional.empty(), browser.open(PAGE));
        assertFalse(Files.exists(opened), "xdg-open ran without a display");
    }

    @Test
    void withoutXdgOpenNothingOpensAndNothingFails() {
        Browser browser =
                new Browser(Map.of("PATH", bin.resolve("none").toString(), "WAYLAND_DISPLAY", "w"), "Linux", false);

        assertTrue(browser.open(PAGE).isEmpty());
    }
}
