package dev.clusterconnect.routes.component.kubeclient;

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
 * Every line one logger writes, down to DEBUG, for as long as the test runs; the lines still
 * reach the console too (additive), so a failing test shows them.
 */
public final class CapturedLog extends AbstractAppender implements AutoCloseable {

    private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
    private final String name;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final List<Throwable> thrown = new CopyOnWriteArrayList<>();

    public CapturedLog(Class<?> source) {
        this(source.getName());
    }

    /** Every line of the loggers under {@code name} (a logger or a package). */
    public CapturedLog(String name) {
        super("captured-" + name, null, null, true, Property.EMPTY_ARRAY);
        this.name = name;
        start();
        LoggerConfig config = new LoggerConfig(name, Level.DEBUG, true);
        config.addAppender(this, null, null);
        context.getConfiguration().addLogger(name, config);
        context.updateLoggers();
    }

    @Override
    public void append(LogEvent event) {
        lines.add(event.getLevel() + " " + event.getMessage().getFormattedMessage());
        if (event.getThrown() != null) {
            thrown.add(event.getThrown());
        }
    }

    public List<String> lines() {
        return lines;
    }

    /** The exceptions logged with a stack, in order. */
    public List<Throwable> thrown() {
        return thrown;
    }

    @Override
    public void close() {
        context.getConfiguration().removeLogger(name);
        context.updateLoggers();
        stop();
    }
}
