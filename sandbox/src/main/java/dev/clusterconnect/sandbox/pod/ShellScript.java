package dev.clusterconnect.sandbox.pod;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a {@code sh -c} script into statements, pipelines and words: single and double quotes,
 * backslash escapes, {@code ;}, {@code &&}, {@code ||}, {@code |} and newlines. No expansions.
 */
final class ShellScript {

    /**
     * One statement: a pipeline run when the previous statement's exit status allows.
     *
     * @param condition {@code ";"}, {@code "&&"} or {@code "||"}: how it depends on the one before
     * @param pipeline commands connected by pipes, each a list of words
     */
    record Statement(String condition, List<List<String>> pipeline) {}

    private ShellScript() {}

    static List<Statement> parse(String script) {
        List<Statement> statements = new ArrayList<>();
        List<List<String>> pipeline = new ArrayList<>();
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        String condition = ";";
        char quote = 0;
        for (int i = 0; i < script.length(); i++) {
            char c = script.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < script.length()) {
                    word.append(script.charAt(++i));
                } else {
                    word.append(c);
                }
                continue;
            }
            if (c == '\'' || c == '"') {
                quote = c;
                word = word == null ? new StringBuilder() : word;
            } else if (c == '\\' && i + 1 < script.length()) {
                word = word == null ? new StringBuilder() : word;
                word.append(script.charAt(++i));
            } else if (Character.isWhitespace(c) && c != '\n') {
                word = flush(words, word);
            } else if (c == '&' && word != null && word.toString().endsWith(">")) {
                // ">&2" and "2>&1" are redirections, not a background "&"
                word.append(c);
            } else if (c == ';' || c == '\n' || c == '&' || c == '|') {
                word = flush(words, word);
                boolean doubled = i + 1 < script.length() && script.charAt(i + 1) == c && (c == '&' || c == '|');
                if (c == '|' && !doubled) {
                    pipeline.add(words);
                    words = new ArrayList<>();
                    continue;
                }
                i += doubled ? 1 : 0;
                condition = addStatement(statements, condition, pipeline, words);
                pipeline = new ArrayList<>();
                words = new ArrayList<>();
                condition = doubled ? (c == '&' ? "&&" : "||") : ";";
            } else {
                word = word == null ? new StringBuilder() : word;
                word.append(c);
            }
        }
        flush(words, word);
        addStatement(statements, condition, pipeline, words);
        return statements;
    }

    private static String addStatement(
            List<Statement> statements, String condition, List<List<String>> pipeline, List<String> words) {
        if (!words.isEmpty()) {
            pipeline.add(words);
        }
        if (!pipeline.isEmpty()) {
            statements.add(new Statement(condition, pipeline));
        }
        return condition;
    }

    private static StringBuilder flush(List<String> words, StringBuilder word) {
        if (word != null) {
            words.add(word.toString());
        }
        return null;
    }
}
