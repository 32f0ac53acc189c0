package dev.clusterconnect.agent.steps;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.Property;

/**
 * Every line the agent's and the shared code's loggers write while open, down to TRACE, with the
 * messages of any exception logged with them: what an operator's log would hold at its most verbose.
 */
final class LogCapture implements AutoCloseable {

    private static final List<String> LOGGERS = List.of("dev.clusterconnect", "clusterconnect.audit");

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
    private final AbstractAppender appender;

    LogCapture() {
        appender =
                new AbstractAppender(
                        "capture-" + System.identityHashCode(this), null, null, true, Property.EMPTY_ARRAY) {
                    @Override
                    public void append(LogEvent event) {
                        StringBuilder line = new StringBuilder(event.getLevel() + " " + event.getLoggerName() + " "
                                + event.getMessage().getFormattedMessage());
                        for (Throwable t = event.getThrown(); t != null; t = t.getCause()) {
                            line.append(" | ").append(t);
                        }
                        lines.add(line.toString());
                    }
                };
        appender.start();
        LOGGERS.forEach(name -> Configurator.setLevel(name, Level.TRACE));
        context.getConfiguration().getRootLogger().addAppender(appender, Level.ALL, null);
        context.updateLoggers();
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    /** Asserts no line quotes the token or any 16-character piece of it. */
    void assertNoLineQuotes(String token) {
        for (String line : lines) {
            for (int i = 0; i + 16 <= token.length(); i++) {
                assertFalse(line.contains(token.substring(i, i + 16)), "a log line quotes part of the token: " + line);
            }
        }
    }

    @Override
    public void close() {
        context.getConfiguration().getRootLogger().removeAppender(appender.getName());
        LOGGERS.forEach(name -> Configurator.setLevel(name, Level.INFO));
        context.updateLoggers();
        appender.stop();
    }
}
