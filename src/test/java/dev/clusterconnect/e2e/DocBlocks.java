package dev.clusterconnect.e2e;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The code blocks of a document under {@code docs/} that follow a {@code <!-- tested: name -->}
 * line: tests run them as written, so a recipe cannot drift from what the product does.
 */
final class DocBlocks {

    private DocBlocks() {}

    /** The text between the fences of the block marked {@code name} in {@code docs/<document>}. */
    static String block(String document, String name) throws IOException {
        // Relative to the module's basedir, which is where surefire runs the tests.
        String text = Files.readString(Path.of("..", "docs", document));
        int marker = text.indexOf("<!-- tested: " + name + " -->");
        if (marker < 0) {
            throw new IllegalStateException("docs/" + document + " has no block marked " + name);
        }
        int open = text.indexOf("```", marker);
        int start = text.indexOf('\n', open) + 1;
        int end = text.indexOf("\n```", start);
        return text.substring(start, end + 1);
    }

    /** The block marked {@code name} read as properties, in the order written. */
    static Map<String, String> properties(String document, String name) throws IOException {
        Map<String, String> ordered = new LinkedHashMap<>();
        new Properties() {
            @Override
            public synchronized Object put(Object key, Object value) {
                ordered.put((String) key, (String) value);
                return null;
            }
        }.load(new StringReader(block(document, name)));
        return ordered;
    }
}
