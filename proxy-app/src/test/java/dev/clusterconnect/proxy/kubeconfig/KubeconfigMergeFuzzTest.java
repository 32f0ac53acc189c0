package dev.clusterconnect.proxy.kubeconfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Merging our entry into any kubeconfig a user may have, hand-edited, odd or hostile. The input's
 * first line names the entry (its first character: {@code +} also makes it the current context),
 * the rest is the file. The merge either refuses with a {@link KubeconfigFormatException} (which
 * {@link KubeconfigFile#merge} reports with the file's path) or writes a file that parses again,
 * holds our entry exactly once in each list, and keeps every other entry and setting as it was.
 * The corpus is in {@code KubeconfigMergeFuzzTestInputs/}; {@code bin/fuzz --only kubeconfig}
 * looks for more.
 */
class KubeconfigMergeFuzzTest {

    private static final URI SERVER = URI.create("https://127.0.0.1:8443/clusters/prod");
    private static final String[] SECTIONS = {
        KubeconfigDocument.CLUSTERS, KubeconfigDocument.USERS, KubeconfigDocument.CONTEXTS
    };

    @FuzzTest(maxDuration = "10m")
    void anyFileIsRefusedClearlyOrKeepsEveryForeignEntryAndParsesAgain(byte[] input) {
        String all = new String(input, StandardCharsets.UTF_8);
        int lineEnd = all.indexOf('\n');
        if (lineEnd < 2) {
            return;
        }
        boolean makeCurrent = all.charAt(0) == '+';
        String cluster = all.substring(1, Math.min(lineEnd, 64)).strip();
        if (cluster.isEmpty()) {
            return;
        }
        String text = all.substring(lineEnd + 1);
        KubeconfigEntry entry = KubeconfigEntry.forCluster(
                cluster,
                SERVER,
                "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
                new BearerTokenCredential("local-token"));

        KubeconfigDocument merged;
        try {
            merged = KubeconfigFile.merged(KubeconfigDocument.parse(text), entry, makeCurrent);
        } catch (KubeconfigFormatException refused) {
            assertFalse(refused.getMessage().isBlank());
            return;
        }

        Map<String, Object> after = load(merged.text());
        Map<String, Object> before = loadOrNull(text);
        for (String section : SECTIONS) {
            List<Map<String, Object>> items = items(after, section);
            assertEquals(
                    List.of(ours(entry, section)),
                    items.stream()
                            .filter(item -> entry.name().equals(item.get("name")))
                            .toList(),
                    "our " + section + " entry, once");
            if (before != null) {
                assertEquals(
                        foreign(itemsOrEmpty(before, section), entry),
                        foreign(sectionOf(after, section), entry),
                        "the other " + section + " entries");
            }
        }
        if (makeCurrent) {
            assertEquals(entry.name(), after.get("current-context"));
        }
        if (before != null) {
            // YAML keys need not be strings ("{[]: x}" has a list for a key, "null: x" a null): compare them as objects
            for (Map.Entry<?, Object> setting : ((Map<?, Object>) before).entrySet()) {
                boolean ourKeys = setting.getKey() instanceof String key
                                && List.of(SECTIONS).contains(key)
                        || "current-context".equals(setting.getKey()) && makeCurrent;
                if (!ourKeys) {
                    assertEquals(setting.getValue(), after.get(setting.getKey()), "setting " + setting.getKey());
                }
            }
        }
        // a second merge of the same entry changes nothing
        assertEquals(
                merged.text(),
                KubeconfigFile.merged(KubeconfigDocument.parse(merged.text()), entry, makeCurrent)
                        .text(),
                "merging twice");
    }

    private static Map<String, Object> ours(KubeconfigEntry entry, String section) {
        return switch (section) {
            case KubeconfigDocument.CLUSTERS -> entry.clusterItem();
            case KubeconfigDocument.USERS -> entry.userItem();
            default -> entry.contextItem();
        };
    }

    private static List<Object> foreign(List<?> items, KubeconfigEntry entry) {
        List<Object> others = new ArrayList<>();
        for (Object item : items) {
            if (!(item instanceof Map<?, ?> map && entry.name().equals(map.get("name")))) {
                others.add(item);
            }
        }
        return others;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> items(Map<String, Object> config, String section) {
        Object value = config.get(section);
        assertInstanceOf(List.class, value, "section " + section + " is a list");
        List<Map<String, Object>> items = new ArrayList<>();
        for (Object item : (List<Object>) value) {
            if (item instanceof Map<?, ?> map) {
                items.add((Map<String, Object>) map);
            }
        }
        return items;
    }

    private static List<?> sectionOf(Map<String, Object> config, String section) {
        return (List<?>) config.get(section);
    }

    private static List<?> itemsOrEmpty(Map<String, Object> config, String section) {
        return config.get(section) instanceof List<?> list ? list : List.of();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> load(String text) {
        Object data;
        try {
            data = new Load(KubeconfigDocument.readerSettings(text)).loadFromString(text);
        } catch (YamlEngineException e) {
            throw new AssertionError("the merged file does not parse: " + e.getMessage() + "\n" + text, e);
        }
        assertInstanceOf(Map.class, data, "the merged file is a mapping:\n" + text);
        return new LinkedHashMap<>((Map<String, Object>) data);
    }

    /** What the file held, when it was a kubeconfig at all. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> loadOrNull(String text) {
        try {
            Object data = new Load(KubeconfigDocument.readerSettings(text)).loadFromString(text);
            return data instanceof Map<?, ?> map ? (Map<String, Object>) map : null;
        } catch (YamlEngineException e) {
            return null;
        }
    }
}
