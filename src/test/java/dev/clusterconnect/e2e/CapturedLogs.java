package dev.clusterconnect.e2e;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * Everything the apps in this JVM log, as text, while open: an appender on the root logger plus
 * one on {@code dev.clusterconnect} at the level asked for. Lines keep the logger name and the
 * formatted message and any stack trace, so a test can search for what an operator would see.
 */
final class CapturedLogs implements AutoCloseable {

    private static final String NAME = "e2e-captured";
    private static final String OURS = "dev.clusterconnect";

    private final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
    private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
    private final Appender appender = new Appender();
    private final boolean addedOurs;

    private CapturedLogs(Level ours) {
        Configuration config = context.getConfiguration();
        appender.start();
        config.getRootLogger().addAppender(appender, Level.ALL, null);
        addedOurs = !config.getLoggers().containsKey(OURS);
        if (addedOurs) {
            // additive: our lines still reach the console too, and the root's appender once
            LoggerConfig ourLogger = new LoggerConfig(OURS, ours, true);
            config.addLogger(OURS, ourLogger);
        } else {
            config.getLoggers().get(OURS).setLevel(ours);
        }
        context.updateLoggers();
    }

    /** Starts capturing; {@code dev.clusterconnect} logs at {@code ours} meanwhile. */
    static CapturedLogs start(Level ours) {
        return new CapturedLogs(ours);
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    List<String> lines(Predicate<String> matching) {
        return lines.stream().filter(matching).toList();
    }

    /** All captured text, one line per event. */
    String text() {
        return String.join("\n", lines);
    }

    @Override
    public void close() {
        Configuration config = context.getConfiguration();
        config.getRootLogger().removeAppender(NAME);
        if (addedOurs) {
            config.removeLogger(OURS);
        }
        context.updateLoggers();
        appender.stop();
    }

    private final class Appender extends AbstractAppender {

        Appender() {
            super(
                    NAME,
                    null,
                    PatternLayout.newBuilder()
                            .withPattern("%-5level %c - %msg%throwable")
                            .build(),
                    true,
                    Property.EMPTY_ARRAY);
        }

        @Override
        public void append(LogEvent event) {
            lines.add(((PatternLayout) getLayout()).toSerializable(event));
        }
    }
}
