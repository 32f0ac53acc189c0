package dev.clusterconnect.proxy.kubeconfig;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * The text of a kubeconfig, edited by splicing: each edit parses the text into YAML nodes (which
 * carry their positions), then replaces only the lines of the one entry it changes. Everything
 * else, other users' entries, comments, blank lines, key order and quoting, stays byte-for-byte
 * as it was. The rendered entries use kubectl's own layout ({@code - cluster:} then
 * {@code name:}) and the indentation of the existing list.
 *
 * <p>Only when the file is not block-style YAML at column 0 at the top (a flow-style {@code {...}} root,
 * an indented root) is it rewritten as a whole; comments are lost then, the data is not.
 *
 * <p>Instances are immutable; every edit returns a new document.
 */
public final class KubeconfigDocument {

    /** The kubeconfig list of clusters. */
    public static final String CLUSTERS = "clusters";
    /** The kubeconfig list of users. */
    public static final String USERS = "users";
    /** The kubeconfig list of contexts. */
    public static final String CONTEXTS = "contexts";

    private static final String CURRENT_CONTEXT = "current-context";
    private static final String BOM = "\uFEFF";

    private final String bom;
    private final String text;
    private final String newline;
    private final MappingNode root;
    private final NodeRegions regions;

    private KubeconfigDocument(String bom, String text) {
        this.bom = bom;
        this.text = text;
        this.newline = text.contains("\r\n") ? "\r\n" : "\n";
        this.root = composeRoot(text);
        this.regions = new NodeRegions(text);
    }

    /**
     * Reads a kubeconfig. An empty text (or one holding only comments) is a valid, empty
     * kubeconfig.
     *
     * @param text the file content
     * @return the document
     * @throws KubeconfigFormatException if the text is not YAML
     */
    public static KubeconfigDocument parse(String text) {
        Objects.requireNonNull(text, "text");
        boolean withBom = text.startsWith(BOM);
        if (text.startsWith(BOM + BOM)) {
            // YAML drops one at the start of the stream and reads the next as text: this CLI would
            // write back a file whose first line means something else. Found by KubeconfigMergeFuzzTest.
            throw new KubeconfigFormatException(
                    "starts with more than one byte order mark (U+FEFF); remove all but one");
        }
        String oddBreak = oddLineBreak(text);
        if (oddBreak != null) {
            throw new KubeconfigFormatException("uses a line break other than LF or CRLF (" + oddBreak
                    + "), which YAML reads as a new line but this CLI cannot edit around; use LF or CRLF");
        }
        KubeconfigDocument document;
        try {
            document = new KubeconfigDocument(withBom ? BOM : "", withBom ? text.substring(1) : text);
            // Composing alone accepts what loading refuses (a key twice, a tag its value does not
            // fit); kubectl refuses those too, and a splice must not start from data it cannot read.
            document.loadAll();
        } catch (YamlEngineException e) {
            throw new KubeconfigFormatException("not valid YAML: " + where(e), e);
        } catch (IndexOutOfBoundsException e) {
            // snakeyaml-engine 2.10's reader fails so on some invalid input near a 1,024-character
            // buffer boundary (found by KubeconfigMergeFuzzTest): still not a file we can edit
            throw new KubeconfigFormatException("not valid YAML: the YAML reader could not read it", e);
        }
        if (document.root != null && hasAnchor(document.root)) {
            // An entry spliced in or out beside an anchor or alias would change what else refers to it.
            throw new KubeconfigFormatException(
                    "uses YAML anchors or aliases (&name, *name), which this CLI does not edit;"
                            + " expand them, or write the entry to a file of its own");
        }
        return document;
    }

    /**
     * Where YAML sees a line break that the splices' line arithmetic (LF, CRLF) would not: a lone
     * CR or a raw U+0085. Kubeconfigs do not hold them; we write U+0085 escaped.
     */
    private static String oddLineBreak(String text) {
        int line = 1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean loneCr = c == '\r' && (i + 1 == text.length() || text.charAt(i + 1) != '\n');
            if (loneCr || c == '\u0085') {
                return String.format("U+%04X at line %d", (int) c, line);
            }
            if (c == '\n') {
                line++;
            }
        }
        return null;
    }

    private static boolean hasAnchor(Node node) {
        if (node.getAnchor().isPresent()) {
            return true;
        }
        if (node instanceof MappingNode mapping) {
            return mapping.getValue().stream().anyMatch(t -> hasAnchor(t.getKeyNode()) || hasAnchor(t.getValueNode()));
        }
        return node instanceof SequenceNode sequence
                && sequence.getValue().stream().anyMatch(KubeconfigDocument::hasAnchor);
    }

    /** The parser's complaint and its position, without the snippet of the file it would quote. */
    private static String where(YamlEngineException e) {
        if (e instanceof MarkedYamlEngineException marked
                && marked.getProblemMark().isPresent()) {
            Mark mark = marked.getProblemMark().get();
            return marked.getProblem() + " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
        }
        return e.getClass().getSimpleName();
    }

    /** The full text, ready to be written. */
    public String text() {
        return bom + text;
    }

    /** Whether {@code section} holds an item called {@code name}. */
    public boolean hasItem(String section, String name) {
        return sequence(section).map(items -> findItem(items, name).isPresent()).orElse(false);
    }

    private long countItems(String section, String name) {
        return sequence(section)
                .map(items -> items.getValue().stream()
                        .filter(item -> name.equals(itemName(item)))
                        .count())
                .orElse(0L);
    }

    /** The {@code current-context}, if set and not empty. */
    public Optional<String> currentContext() {
        return tuple(CURRENT_CONTEXT)
                .map(NodeTuple::getValueNode)
                .filter(ScalarNode.class::isInstance)
                .map(node -> ((ScalarNode) node).getValue())
                .filter(value -> !value.isEmpty());
    }

    /**
     * Adds {@code item} to {@code section}, or replaces the item with the same {@code name} in
     * place.
     *
     * @param section {@link #CLUSTERS}, {@link #USERS} or {@link #CONTEXTS}
     * @param item    the item, with a {@code name} key
     * @return the edited document
     */
    public KubeconfigDocument withItem(String section, Map<String, Object> item) {
        String name = Objects.requireNonNull((String) item.get("name"), "item name");
        KubeconfigDocument base = blockRooted();
        boolean duplicated = base.countItems(section, name) > 1;
        return verified(
                () -> {
                    // kubectl would use one of them and no reader can tell which: ours replaces them all
                    KubeconfigDocument single = duplicated ? base.withoutItem(section, name) : base;
                    return single.splice(section, name, item);
                },
                data -> {
                    List<Object> items = new ArrayList<>(data.get(section) instanceof List<?> list ? list : List.of());
                    int at = duplicated ? -1 : indexOf(items, name);
                    if (at >= 0) {
                        items.set(at, item);
                    } else {
                        items.removeIf(existing -> isNamed(existing, name));
                        items.add(item);
                    }
                    data.put(section, items);
                });
    }

    /**
     * Removes every item called {@code name} from {@code section}; a missing item is not an
     * error.
     */
    public KubeconfigDocument withoutItem(String section, String name) {
        KubeconfigDocument base = blockRooted();
        return verified(
                () -> {
                    KubeconfigDocument current = base;
                    while (current.hasItem(section, name)) {
                        current = current.splice(section, name, null);
                    }
                    return current;
                },
                data -> {
                    if (data.get(section) instanceof List<?> list) {
                        List<Object> items = new ArrayList<>(list);
                        if (items.removeIf(existing -> isNamed(existing, name))) {
                            // the splice leaves "contexts:" with no items, which reads as null
                            data.put(section, items.isEmpty() ? null : items);
                        }
                    }
                });
    }

    /**
     * Sets {@code current-context}; {@code null} clears it to an empty string, which kubectl reads
     * as "no current context".
     */
    public KubeconfigDocument withCurrentContext(String name) {
        KubeconfigDocument base = blockRooted();
        return verified(
                () -> base.replaceCurrentContext(YamlText.scalar(name == null ? "" : name)),
                data -> data.put(CURRENT_CONTEXT, name == null ? "" : name));
    }

    /**
     * The spliced document when it parses and reads as this one with {@code edit} applied to its
     * data; otherwise this document's data, edited, written anew (comments are lost then, data is not).
     * Splicing YAML by position has corners (block scalars that end in blank or more-indented
     * lines, the end of a file without a line break) that KubeconfigMergeFuzzTest kept finding:
     * this check makes a splice that went wrong cost the comments, never an entry or a value.
     */
    private KubeconfigDocument verified(
            java.util.function.Supplier<KubeconfigDocument> splice,
            java.util.function.Consumer<Map<String, Object>> edit) {
        Object before = loadOrNull(text);
        if (!(before instanceof Map<?, ?> map)) {
            return splice.get();
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> expected = new LinkedHashMap<>((Map<String, Object>) map);
        edit.accept(expected);
        try {
            KubeconfigDocument spliced = splice.get();
            if (YamlData.same(expected, loadOrNull(spliced.text))) {
                return spliced;
            }
        } catch (YamlEngineException | IndexOutOfBoundsException spliceDoesNotParse) {
            // a splice that went wrong midway, or text on which snakeyaml-engine's reader fails
            // (both found by KubeconfigMergeFuzzTest): the data is the way back
        }
        return new KubeconfigDocument(bom, YamlText.document(expected, newline));
    }

    private static Object loadOrNull(String text) {
        try {
            return new Load(readerSettings(text)).loadFromString(text);
        } catch (YamlEngineException | IndexOutOfBoundsException e) {
            return null;
        }
    }

    private static int indexOf(List<Object> items, String name) {
        for (int i = 0; i < items.size(); i++) {
            if (isNamed(items.get(i), name)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isNamed(Object item, String name) {
        return item instanceof Map<?, ?> map && name.equals(map.get("name"));
    }

    private KubeconfigDocument splice(String section, String name, Map<String, Object> item) {
        Optional<NodeTuple> found = tuple(section);
        if (found.isEmpty()) {
            return item == null
                    ? this
                    : insert(rootEnd(), section + ":" + newline + YamlText.sequenceItems(List.of(item), 0, newline));
        }
        Node value = found.get().getValueNode();
        if (value instanceof SequenceNode items
                && items.getFlowStyle() == FlowStyle.BLOCK
                && !items.getValue().isEmpty()) {
            try {
                return spliceBlockItem(items, name, item);
            } catch (UnsupportedLayoutException e) {
                return rewriteSection(found.get(), section, name, item);
            }
        }
        return rewriteSection(found.get(), section, name, item);
    }

    private KubeconfigDocument spliceBlockItem(SequenceNode items, String name, Map<String, Object> item) {
        int indent = regions.itemIndent(items.getValue().get(0));
        Optional<Node> existing = findItem(items, name);
        String rendered = item == null ? "" : YamlText.sequenceItems(List.of(item), indent, newline);
        if (existing.isPresent()) {
            Node old = existing.get();
            return replace(regions.itemStart(old), regions.regionEnd(old), rendered);
        }
        Node last = items.getValue().get(items.getValue().size() - 1);
        return insert(regions.regionEnd(last), rendered);
    }

    /** A section that is null, {@code []} or flow-style: its whole value is rewritten as a block list. */
    private KubeconfigDocument rewriteSection(NodeTuple tuple, String section, String name, Map<String, Object> item) {
        List<Object> items = new ArrayList<>(loadedSection(section));
        items.removeIf(existing -> existing instanceof Map<?, ?> map && name.equals(map.get("name")));
        if (item != null) {
            items.add(item);
        }
        int from = regions.end(tuple.getKeyNode());
        int to = regions.regionEnd(tuple.getValueNode());
        String value = items.isEmpty() ? ": []" + newline : ":" + newline + YamlText.sequenceItems(items, 0, newline);
        return replace(from, Math.max(to, regions.afterLineBreak(from)), value);
    }

    private KubeconfigDocument replaceCurrentContext(String rendered) {
        Optional<NodeTuple> found = tuple(CURRENT_CONTEXT);
        if (found.isEmpty()) {
            return insert(rootEnd(), CURRENT_CONTEXT + ": " + rendered + newline);
        }
        Node value = found.get().getValueNode();
        int start = regions.start(value);
        int end = regions.end(value);
        if (value instanceof ScalarNode && end > start) {
            return replace(start, end, rendered);
        }
        int keyEnd = regions.end(found.get().getKeyNode());
        // an empty value ends on the key's line; a nested one (hand-edited nonsense) goes whole
        int valueEnd = value instanceof ScalarNode ? keyEnd : regions.contentEnd(value);
        return replace(keyEnd, regions.lineBreak(Math.max(keyEnd, valueEnd)), ": " + rendered);
    }

    /** This document, or an equivalent one whose root is a block mapping the splices can address. */
    private KubeconfigDocument blockRooted() {
        // An indented root ("   apiVersion: v1") would end where a section spliced in at column 0 starts.
        boolean atColumnZero = root != null
                && root.getStartMark().map(mark -> mark.getColumn() == 0).orElse(false);
        // A last line with no line break after it can be the end of a block scalar's value: a
        // section spliced in after it adds the break to the value (or turns a line of blanks into
        // an empty line it drops). Found twice by KubeconfigMergeFuzzTest.
        boolean endsInBlockScalar =
                !text.isEmpty() && !text.endsWith("\n") && !text.endsWith("\r") && hasBlockScalar(root);
        if (root != null && root.getFlowStyle() == FlowStyle.BLOCK && atColumnZero && !endsInBlockScalar) {
            return this;
        }
        Object data = loadAll();
        if (data == null) {
            Map<String, Object> skeleton = new LinkedHashMap<>();
            skeleton.put("apiVersion", "v1");
            skeleton.put("kind", "Config");
            skeleton.put("preferences", Map.of());
            String fresh = YamlText.document(skeleton, newline);
            // keep a file of comments only; replace an explicit "null" document
            boolean onlyComments =
                    new Compose(readerSettings(text)).composeString(text).isEmpty();
            return onlyComments ? insert(text.length(), fresh) : new KubeconfigDocument(bom, fresh);
        }
        if (!(data instanceof Map<?, ?> map)) {
            throw new KubeconfigFormatException("not a kubeconfig: the top level is not a mapping");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> config = (Map<String, Object>) map;
        return new KubeconfigDocument(bom, YamlText.document(config, newline));
    }

    /** Whether a literal or folded scalar is anywhere under this node (aliases are followed once). */
    private static boolean hasBlockScalar(Node top) {
        Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Node> pending = new ArrayDeque<>();
        if (top != null) {
            pending.push(top);
        }
        while (!pending.isEmpty()) {
            Node node = pending.pop();
            if (!seen.add(node)) {
                continue;
            }
            if (node instanceof ScalarNode scalar
                    && (scalar.getScalarStyle() == ScalarStyle.LITERAL
                            || scalar.getScalarStyle() == ScalarStyle.FOLDED)) {
                return true;
            } else if (node instanceof SequenceNode sequence) {
                sequence.getValue().forEach(pending::push);
            } else if (node instanceof MappingNode mapping) {
                mapping.getValue().forEach(tuple -> {
                    pending.push(tuple.getKeyNode());
                    pending.push(tuple.getValueNode());
                });
            }
        }
        return false;
    }

    private Optional<SequenceNode> sequence(String section) {
        return tuple(section)
                .map(NodeTuple::getValueNode)
                .filter(SequenceNode.class::isInstance)
                .map(SequenceNode.class::cast);
    }

    private Optional<NodeTuple> tuple(String key) {
        if (root == null) {
            return Optional.empty();
        }
        return root.getValue().stream()
                .filter(t -> t.getKeyNode() instanceof ScalarNode k && key.equals(k.getValue()))
                .findFirst();
    }

    private static Optional<Node> findItem(SequenceNode items, String name) {
        return items.getValue().stream()
                .filter(item -> name.equals(itemName(item)))
                .findFirst();
    }

    private static String itemName(Node item) {
        if (!(item instanceof MappingNode mapping)) {
            return null;
        }
        return mapping.getValue().stream()
                .filter(t -> t.getKeyNode() instanceof ScalarNode k && "name".equals(k.getValue()))
                .map(NodeTuple::getValueNode)
                .filter(ScalarNode.class::isInstance)
                .map(v -> ((ScalarNode) v).getValue())
                .findFirst()
                .orElse(null);
    }

    private List<?> loadedSection(String section) {
        Object data = loadAll();
        Object value = data instanceof Map<?, ?> map ? map.get(section) : null;
        return value instanceof List<?> list ? list : List.of();
    }

    private Object loadAll() {
        return new Load(readerSettings(text)).loadFromString(text);
    }

    private int rootEnd() {
        return regions.regionEnd(root);
    }

    private KubeconfigDocument insert(int at, String lines) {
        boolean needsBreak = at > 0 && text.charAt(at - 1) != '\n';
        return replace(at, at, needsBreak ? newline + lines : lines);
    }

    private KubeconfigDocument replace(int from, int to, String replacement) {
        return new KubeconfigDocument(bom, text.substring(0, from) + replacement + text.substring(to));
    }

    /**
     * snakeyaml-engine 2.10's reader fails (IndexOutOfBoundsException) when a character made of
     * two UTF-16 units straddles the end of its read buffer, 1,024 characters by default
     * (KubeconfigMergeFuzzTest found it three times, findings 15 to 17 in docs/fuzzing.md). A
     * buffer that holds the whole text has no such end: a kubeconfig is small and in memory anyway.
     */
    static LoadSettings readerSettings(String text) {
        return LoadSettings.builder()
                .setBufferSize(Math.max(1024, text.length() + 1))
                .build();
    }

    private static MappingNode composeRoot(String text) {
        Optional<Node> node = new Compose(readerSettings(text)).composeString(text);
        return node.filter(MappingNode.class::isInstance)
                .map(MappingNode.class::cast)
                .orElse(null);
    }
}
