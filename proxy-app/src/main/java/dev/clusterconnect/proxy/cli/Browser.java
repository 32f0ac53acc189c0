package dev.clusterconnect.proxy.cli;

import java.awt.Desktop;
import java.awt.GraphicsEnvironment;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Opens a page in the user's browser when the machine has one: the desktop's own (AWT, when
 * not headless), else {@code xdg-open} (Linux, with a {@code DISPLAY} or {@code WAYLAND_DISPLAY})
 * or {@code open} (macOS, not over SSH) found on the {@code PATH}. Never fails: on a server, in a
 * container or over SSH it opens nothing and the user follows the printed link.
 */
final class Browser {

    private final Map<String, String> environment;
    private final String osName;
    private final boolean tryDesktop;

    /**
     * @param environment the process environment (PATH, DISPLAY, ...)
     * @param osName      the {@code os.name} property
     * @param tryDesktop  whether to try AWT's desktop integration first
     */
    Browser(Map<String, String> environment, String osName, boolean tryDesktop) {
        this.environment = environment;
        this.osName = osName;
        this.tryDesktop = tryDesktop;
    }

    /** The browser of this process's machine. */
    static Browser system() {
        return new Browser(System.getenv(), System.getProperty("os.name", ""), true);
    }

    /**
     * @param page the page to show
     * @return what opened it, or empty if nothing could
     */
    Optional<String> open(URI page) {
        if (tryDesktop && openOnDesktop(page)) {
            return Optional.of("the desktop browser");
        }
        boolean mac = osName.startsWith("Mac");
        String command = mac ? "open" : "xdg-open";
        boolean screen = mac ? !set("SSH_CONNECTION") && !set("SSH_TTY") : set("DISPLAY") || set("WAYLAND_DISPLAY");
        Optional<Path> program = screen ? onPath(command) : Optional.empty();
        return program.isPresent() && run(program.get(), page) ? Optional.of(command) : Optional.empty();
    }

    private static boolean openOnDesktop(URI page) {
        try {
            if (GraphicsEnvironment.isHeadless() || !Desktop.isDesktopSupported()) {
                return false;
            }
            Desktop desktop = Desktop.getDesktop();
            if (!desktop.isSupported(Desktop.Action.BROWSE)) {
                return false;
            }
            desktop.browse(page);
            return true;
        } catch (IOException | RuntimeException | LinkageError e) {
            // no desktop after all (or a runtime without java.desktop): try the command
            return false;
        }
    }

    private static boolean run(Path program, URI page) {
        try {
            Process process = new ProcessBuilder(program.toString(), page.toString())
                    .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            // xdg-open returns once the browser has the page; one that hangs is left to finish alone
            return !process.waitFor(5, TimeUnit.SECONDS) || process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private Optional<Path> onPath(String command) {
        String path = environment.getOrDefault("PATH", "");
        for (String directory : path.split(File.pathSeparator)) {
            if (directory.isBlank()) {
                continue;
            }
            Path candidate = Path.of(directory, command);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private boolean set(String variable) {
        String value = environment.get(variable);
        return value != null && !value.isBlank();
    }

    private static File nullDevice() {
        return new File(File.separatorChar == '\\' ? "NUL" : "/dev/null");
    }
}
