package dev.clusterconnect.routes.component.kubeserver;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * For fuzzing: the loggers under a name stop writing to the console (a line per refused input
 * would be most of the run's time), and the lines that mean something went wrong are kept: errors
 * and warnings, and the edge's report of an exception that reached the end of its pipeline.
 */
final class QuietLog extends AbstractAppender {

    private final List<String> failures = new CopyOnWriteArrayList<>();

    private QuietLog(String name) {
        super("quiet-" + name, null, null, true, Property.EMPTY_ARRAY);
    }

    /** The failures logged under {@code names} (loggers or packages) from now on; clear the list between inputs. */
    static List<String> capturingFailures(String... names) {
        QuietLog appender = new QuietLog(String.join(",", names));
        appender.start();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        for (String name : names) {
            LoggerConfig config = new LoggerConfig(name, Level.INFO, false);
            config.addAppender(appender, null, null);
            context.getConfiguration().addLogger(name, config);
        }
        context.updateLoggers();
        return appender.failures;
    }

    @Override
    public void append(LogEvent event) {
        String format = event.getMessage().getFormat();
        if (event.getLevel().isMoreSpecificThan(Level.WARN)
                || format != null && format.startsWith("client connection failed")) {
            Throwable thrown = event.getThrown();
            failures.add(event.getLevel() + " " + event.getLoggerName() + ": "
                    + event.getMessage().getFormattedMessage() + (thrown == null ? "" : " " + thrown));
        }
    }
}
