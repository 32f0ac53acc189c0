package dev.clusterconnect.helm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A values file read back as plain data, so tests compare rendered output with its source. */
final class Values {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final Map<String, Object> root;

    private Values(Map<String, Object> root) {
        this.root = root;
    }

    @SuppressWarnings("unchecked")
    static Values read(Path file) {
        try {
            return new Values(YAML.readValue(file.toFile(), Map.class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The value at a dotted path such as {@code relay.url}; fails if any step is missing. */
    Object get(String path) {
        Object current = root;
        for (String step : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> map) || !map.containsKey(step)) {
                throw new AssertionError("values have no " + path);
            }
            current = map.get(step);
        }
        return current;
    }

    String string(String path) {
        return String.valueOf(get(path));
    }

    @SuppressWarnings("unchecked")
    List<Object> list(String path) {
        return (List<Object>) get(path);
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> map(String path) {
        return (Map<String, Object>) get(path);
    }

    /** A list as the chart writes it into a property: comma-separated. */
    String joined(String path) {
        return String.join(",", list(path).stream().map(String::valueOf).toList());
    }
}
