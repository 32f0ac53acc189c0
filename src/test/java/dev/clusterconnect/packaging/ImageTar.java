package dev.clusterconnect.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An image Jib wrote with buildTar (Docker's archive format: manifest.json, the config, one
 * .tar.gz per layer), unpacked once per test run: its config, and its layers applied in order to
 * a folder, as a container runtime would lay out the root filesystem.
 */
public final class ImageTar {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, ImageTar> OPENED = new ConcurrentHashMap<>();

    private final List<String> repoTags;
    private final JsonNode config;
    private final Path root;

    private ImageTar(List<String> repoTags, JsonNode config, Path root) {
        this.repoTags = repoTags;
        this.config = config;
        this.root = root;
    }

    /** The image of {@code app} (relay, agent), from its module's target folder. */
    public static ImageTar of(String app) {
        return OPENED.computeIfAbsent(app, ImageTar::open);
    }

    private static ImageTar open(String app) {
        Path tar = Built.imageTar(app);
        try {
            Path dir = Path.of("target", "images", app).toAbsolutePath();
            Run.ok(Path.of("."), List.of("rm", "-rf", dir.toString()));
            Path archive = Files.createDirectories(dir.resolve("archive"));
            Path root = Files.createDirectories(dir.resolve("root"));
            Run.ok(archive, List.of("tar", "-xf", tar.toAbsolutePath().toString()));
            JsonNode manifest = JSON.readTree(archive.resolve("manifest.json").toFile());
            assertEquals(1, manifest.size(), "one image in " + tar);
            JsonNode image = manifest.get(0);
            JsonNode config =
                    JSON.readTree(archive.resolve(image.get("Config").asText()).toFile());
            for (JsonNode layer : image.get("Layers")) {
                // as root, tar keeps the layer's owners and modes, which the tests check
                Run.ok(
                        root,
                        List.of("tar", "-xzf", archive.resolve(layer.asText()).toString()));
            }
            return new ImageTar(strings(image.get("RepoTags")), config.get("config"), root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<String> repoTags() {
        return repoTags;
    }

    public List<String> entrypoint() {
        return strings(config.get("Entrypoint"));
    }

    public List<String> cmd() {
        return strings(config.get("Cmd"));
    }

    /** As the config has it, e.g. {@code 10001:10001}; empty means root. */
    public String user() {
        return config.path("User").asText("");
    }

    public String workingDir() {
        return config.path("WorkingDir").asText("");
    }

    /** e.g. {@code 8443/tcp}. */
    public Set<String> exposedPorts() {
        Set<String> ports = new TreeSet<>();
        config.path("ExposedPorts").fieldNames().forEachRemaining(ports::add);
        return ports;
    }

    public Map<String, String> labels() {
        Map<String, String> labels = new LinkedHashMap<>();
        config.path("Labels")
                .fields()
                .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        return labels;
    }

    public Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String entry : strings(config.get("Env"))) {
            int eq = entry.indexOf('=');
            env.put(entry.substring(0, eq), entry.substring(eq + 1));
        }
        return env;
    }

    /** The image's root filesystem, unpacked. */
    public Path root() {
        return root;
    }

    /** A path of the image ({@code /app/x}) in the unpacked root filesystem. */
    public Path file(String absolutePath) {
        return root.resolve(absolutePath.substring(1));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null) {
            array.forEach(node -> out.add(node.asText()));
        }
        return out;
    }
}
