package dev.clusterconnect.proxy.kubeconfig;

import java.util.List;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.CollectionNode;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Maps composed YAML nodes back to character ranges of the text they came from, so an edit can
 * replace exactly the lines of one node and leave every other byte alone.
 *
 * <p>The parser's end marks are not line-exact: a block mapping "ends" where the next token
 * starts, after any comments and blank lines, and a literal scalar ends after its trailing line
 * breaks. So the end of a node is taken as the end of the line holding its last content character.
 */
final class NodeRegions {

    private final String text;
    // snakeyaml-engine counts code points; String indexes count UTF-16 units
    private final boolean codePointsAreChars;

    NodeRegions(String text) {
        this.text = text;
        this.codePointsAreChars = text.length() == text.codePointCount(0, text.length());
    }

    /** Index of the first character of the node. */
    int start(Node node) {
        return index(node.getStartMark().orElseThrow());
    }

    /** Index just after the node as the parser reports it. */
    int end(Node node) {
        return index(node.getEndMark().orElseThrow());
    }

    /** Index just after the last character that belongs to the node's content. */
    int contentEnd(Node node) {
        if (node instanceof ScalarNode scalar) {
            return scalarContentEnd(scalar);
        }
        CollectionNode<?> collection = (CollectionNode<?>) node;
        if (collection.getFlowStyle() == FlowStyle.FLOW) {
            return end(node);
        }
        if (node instanceof MappingNode mapping) {
            List<NodeTuple> tuples = mapping.getValue();
            NodeTuple last = tuples.get(tuples.size() - 1);
            return Math.max(contentEnd(last.getKeyNode()), contentEnd(last.getValueNode()));
        }
        List<Node> items = ((SequenceNode) node).getValue();
        return contentEnd(items.get(items.size() - 1));
    }

    /** Index just after the line break that ends the node's last line (or the text's end). */
    int regionEnd(Node node) {
        return afterLineBreak(contentEnd(node));
    }

    /**
     * Index of the start of the line holding the {@code -} indicator of a block sequence item.
     *
     * @throws UnsupportedLayoutException if something other than indentation precedes the dash
     */
    int itemStart(Node item) {
        int dash = start(item) - 1;
        while (dash >= 0 && Character.isWhitespace(text.charAt(dash))) {
            dash--;
        }
        if (dash < 0 || text.charAt(dash) != '-') {
            throw new UnsupportedLayoutException("sequence item without a leading dash");
        }
        int lineStart = lineStart(dash);
        if (!text.substring(lineStart, dash).isBlank()) {
            throw new UnsupportedLayoutException("sequence item does not start its line");
        }
        return lineStart;
    }

    /** Column of the item's {@code -} indicator, the indentation new siblings must use. */
    int itemIndent(Node item) {
        int lineStart = itemStart(item);
        return text.indexOf('-', lineStart) - lineStart;
    }

    /** Index just after the next line break at or after {@code index} (or the text's end). */
    int afterLineBreak(int index) {
        int newline = text.indexOf('\n', index);
        return newline < 0 ? text.length() : newline + 1;
    }

    /** Index of the line break at or after {@code index}, excluding a CR before it. */
    int lineBreak(int index) {
        int newline = text.indexOf('\n', index);
        if (newline < 0) {
            return text.length();
        }
        return newline > index && text.charAt(newline - 1) == '\r' ? newline - 1 : newline;
    }

    private int lineStart(int index) {
        return text.lastIndexOf('\n', index - 1) + 1;
    }

    private int scalarContentEnd(ScalarNode scalar) {
        int end = end(scalar);
        if (scalar.getScalarStyle() != ScalarStyle.LITERAL && scalar.getScalarStyle() != ScalarStyle.FOLDED) {
            return end;
        }
        int start = start(scalar);
        while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        return end;
    }

    private int index(Mark mark) {
        int codePoints = mark.getIndex();
        return codePointsAreChars ? codePoints : text.offsetByCodePoints(0, codePoints);
    }
}
