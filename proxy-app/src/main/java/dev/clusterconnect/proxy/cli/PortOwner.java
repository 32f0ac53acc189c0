package dev.clusterconnect.proxy.cli;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Who listens on a local TCP port, read from /proc on Linux, so "port in use" can name the other
 * process. Elsewhere, or without permission to look, the answer is empty.
 */
final class PortOwner {

    private PortOwner() {}

    static Optional<String> describe(int port) {
        try {
            Optional<String> inode = listeningInode(port);
            if (inode.isEmpty()) {
                return Optional.empty();
            }
            String socket = "socket:[" + inode.get() + "]";
            try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
                for (Path process : processes) {
                    if (holds(process, socket)) {
                        String command = Files.readString(process.resolve("cmdline"))
                                .replace('\0', ' ')
                                .trim();
                        return Optional.of("process " + process.getFileName() + " (" + abbreviate(command) + ")");
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or not allowed to look: say nothing rather than guess
        }
        return Optional.empty();
    }

    private static Optional<String> listeningInode(int port) throws IOException {
        String hexPort = String.format(Locale.ROOT, ":%04X", port);
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path file = Path.of(table);
            if (!Files.isReadable(file)) {
                continue;
            }
            for (String line : Files.readAllLines(file)) {
                String[] fields = line.trim().split("\\s+");
                // local_address ends with the port; state 0A is LISTEN; field 9 is the inode
                if (fields.length > 9 && fields[1].endsWith(hexPort) && fields[3].equals("0A")) {
                    return Optional.of(fields[9]);
                }
            }
        }
        return Optional.empty();
    }

    private static boolean holds(Path process, String socket) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(process.resolve("fd"))) {
            for (Path fd : fds) {
                if (socket.equals(Files.readSymbolicLink(fd).toString())) {
                    return true;
                }
            }
        } catch (IOException | RuntimeException e) {
            // another user's process, or gone
        }
        return false;
    }

    private static String abbreviate(String command) {
        return command.length() <= 120 ? command : command.substring(0, 117) + "...";
    }
}
