package dev.clusterconnect.proxy.token;

import java.util.Objects;
import java.util.function.UnaryOperator;

/** A token from an environment variable, e.g. one a CI step exported. */
public final class EnvironmentTokenSource implements TokenSource {

    private final String variable;
    private final UnaryOperator<String> environment;

    /**
     * @param variable    the variable's name
     * @param environment looks a variable up (usually {@code System::getenv})
     */
    public EnvironmentTokenSource(String variable, UnaryOperator<String> environment) {
        this.variable = Objects.requireNonNull(variable, "variable");
        this.environment = Objects.requireNonNull(environment, "environment");
    }

    /** Reads {@code variable} from this process's environment. */
    public EnvironmentTokenSource(String variable) {
        this(variable, System::getenv);
    }

    @Override
    public Token token() {
        String value = environment.apply(variable);
        if (value == null || value.isBlank()) {
            throw new TokenException("environment variable " + variable + " is not set");
        }
        return Token.of(value.trim());
    }
}
