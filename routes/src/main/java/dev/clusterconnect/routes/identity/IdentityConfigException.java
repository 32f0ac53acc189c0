package dev.clusterconnect.routes.identity;

import java.util.List;

/** Invalid identity configuration; lists every problem found, not just the first. */
public final class IdentityConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final transient List<String> problems;

    public IdentityConfigException(List<String> problems) {
        super(format(problems));
        this.problems = List.copyOf(problems);
    }

    /** Each problem as one sentence naming the offending key. */
    public List<String> problems() {
        return problems;
    }

    private static String format(List<String> problems) {
        StringBuilder text = new StringBuilder("invalid identity configuration (")
                .append(problems.size())
                .append(problems.size() == 1 ? " problem):" : " problems):");
        problems.forEach(problem -> text.append("\n  - ").append(problem));
        return text.toString();
    }
}
