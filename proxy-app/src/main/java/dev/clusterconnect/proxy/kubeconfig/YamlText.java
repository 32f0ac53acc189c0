package dev.clusterconnect.proxy.kubeconfig;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.RepresentToNode;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.representer.StandardRepresenter;

/** Renders the YAML fragments that are spliced into a kubeconfig, in kubectl's block style. */
final class YamlText {

    // base64 CA bundles and tokens are long; a wrapped double-quoted scalar would be valid YAML
    // but needlessly hard to read and diff
    private static final int NO_WRAP = 1 << 20;
    private static final DumpSettings SETTINGS = DumpSettings.builder()
            .setDefaultFlowStyle(FlowStyle.BLOCK)
            .setIndent(2)
            .setWidth(NO_WRAP)
            .setSplitLines(false)
            .build();
    private static final Dump DUMP = new Dump(SETTINGS, new GoYamlSafeRepresenter(SETTINGS));

    // kubectl reads YAML with go-yaml, which still follows YAML 1.1: a plain "no", "on" or "0755"
    // is a bool or a number there, while snakeyaml-engine (YAML 1.2) would write it unquoted
    private static final Pattern YAML_1_1_NOT_A_STRING =
            Pattern.compile("(?i)y|n|yes|no|true|false|on|off|null|~|[-+.]?[0-9].*|");

    // YAML reads U+0085, U+2028 and U+2029 as line breaks and drops a BOM: in a plain or block
    // scalar (which snakeyaml-engine picks for them) they come back changed or gone. In double
    // quotes they read back as they were (U+0085 is written \N), and so do the C0 controls.
    private static final Pattern NEEDS_ESCAPES =
            Pattern.compile("[\\x00-\\x08\\x0B-\\x1F\\x7F\\x85\\u2028\\u2029\\uFEFF]");

    private YamlText() {}

    /** A complete document for {@code data}. */
    static String document(Map<String, Object> data, String newline) {
        return withNewline(DUMP.dumpToString(data), newline);
    }

    /**
     * Block sequence items ({@code - key: ...}), every line indented by {@code indent} spaces,
     * each line ending with {@code newline}.
     */
    static String sequenceItems(List<?> items, int indent, String newline) {
        String prefix = " ".repeat(indent);
        StringBuilder out = new StringBuilder();
        for (String line : DUMP.dumpToString(items).split("\n")) {
            out.append(line.isEmpty() ? "" : prefix).append(line).append(newline);
        }
        return out.toString();
    }

    /** One scalar as it should follow {@code key: }, quoted only when YAML needs it. */
    static String scalar(String value) {
        String line = DUMP.dumpToString(Map.of("k", value));
        return line.substring("k: ".length()).stripTrailing();
    }

    /** Double-quotes every string that YAML 1.1 would read as something else, or that needs escapes to survive. */
    private static final class GoYamlSafeRepresenter extends StandardRepresenter {
        GoYamlSafeRepresenter(DumpSettings settings) {
            super(settings);
            RepresentToNode strings = representers.get(String.class);
            representers.put(
                    String.class,
                    data -> YAML_1_1_NOT_A_STRING.matcher((String) data).matches()
                                    || NEEDS_ESCAPES.matcher((String) data).find()
                            ? representScalar(Tag.STR, (String) data, ScalarStyle.DOUBLE_QUOTED)
                            : strings.representData(data));
        }
    }

    private static String withNewline(String text, String newline) {
        return "\n".equals(newline) ? text : text.replace("\n", newline);
    }
}
