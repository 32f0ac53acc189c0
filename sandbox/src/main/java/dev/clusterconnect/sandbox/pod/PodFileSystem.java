package dev.clusterconnect.sandbox.pod;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A pod container's files, in memory: absolute paths to contents, with directories as entries
 * whose content is {@code null}. Enough for {@code kubectl cp} and a few shell commands.
 */
public final class PodFileSystem {

    private static final byte[] DIRECTORY = new byte[0];

    private final NavigableMap<String, byte[]> entries = new ConcurrentSkipListMap<>();

    /** A file system with {@code /}, {@code /tmp}, {@code /etc/hostname} and {@code /root}. */
    public PodFileSystem(String hostname) {
        entries.put("/", DIRECTORY);
        mkdirs("/tmp");
        mkdirs("/root");
        write("/etc/hostname", (hostname + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Normalizes a path: absolute (relative to {@code /}), no {@code .}, {@code ..} or trailing slash. */
    public static String normalize(String path) {
        List<String> parts = new ArrayList<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!parts.isEmpty()) {
                    parts.remove(parts.size() - 1);
                }
            } else {
                parts.add(part);
            }
        }
        return "/" + String.join("/", parts);
    }

    /** Writes a file, creating its parent directories. */
    public void write(String path, byte[] content) {
        String normalized = normalize(path);
        mkdirs(parent(normalized));
        entries.put(normalized, content.clone());
    }

    /** Creates a directory and its parents. */
    public void mkdirs(String path) {
        String normalized = normalize(path);
        while (!entries.containsKey(normalized)) {
            entries.put(normalized, DIRECTORY);
            normalized = parent(normalized);
        }
    }

    /** The content of a file; empty for directories and missing paths. */
    public Optional<byte[]> read(String path) {
        byte[] content = entries.get(normalize(path));
        return content == null || content == DIRECTORY ? Optional.empty() : Optional.of(content.clone());
    }

    /** Whether a directory exists at the path. */
    public boolean isDirectory(String path) {
        return entries.get(normalize(path)) == DIRECTORY;
    }

    /** Whether anything exists at the path. */
    public boolean exists(String path) {
        return entries.containsKey(normalize(path));
    }

    /** Removes a path and everything under it. */
    public void remove(String path) {
        String normalized = normalize(path);
        entries.remove(normalized);
        entries.keySet().removeIf(p -> p.startsWith(normalized.equals("/") ? "/" : normalized + "/"));
    }

    /** The path itself and everything under it, parents before children. */
    public List<String> walk(String path) {
        String normalized = normalize(path);
        List<String> paths = new ArrayList<>();
        if (!entries.containsKey(normalized)) {
            return paths;
        }
        paths.add(normalized);
        String prefix = normalized.equals("/") ? "/" : normalized + "/";
        for (Map.Entry<String, byte[]> entry : entries.tailMap(prefix, true).entrySet()) {
            if (!entry.getKey().startsWith(prefix)) {
                break;
            }
            if (!entry.getKey().equals(normalized)) {
                paths.add(entry.getKey());
            }
        }
        return paths;
    }

    /** The names directly inside a directory. */
    public List<String> list(String path) {
        String normalized = normalize(path);
        String prefix = normalized.equals("/") ? "/" : normalized + "/";
        return walk(normalized).stream()
                .filter(p -> !p.equals(normalized) && p.indexOf('/', prefix.length()) < 0)
                .map(p -> p.substring(prefix.length()))
                .toList();
    }

    private static String parent(String normalized) {
        int slash = normalized.lastIndexOf('/');
        return slash <= 0 ? "/" : normalized.substring(0, slash);
    }
}
