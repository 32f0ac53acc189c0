package dev.clusterconnect.routes.logging;

import java.util.Map;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.ConsoleAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.layout.template.json.JsonTemplateLayout;

/**
 * Switches the console to JSON lines when {@code <app>.log.json=true}: one object per event with
 * {@code instant}, {@code level}, {@code loggerName}, {@code message}, {@code thread} and, for an
 * exception, {@code thrown} (log4j's {@code JsonTemplateLayout} with its {@code JsonLayout.json}
 * template), so log collectors need no pattern parsing. Applied once the configuration is read;
 * the few lines before that are plain text.
 */
public final class LogOutput extends MainListenerSupport {

    /** The template every JSON line follows; ships with log4j-layout-template-json. */
    static final String TEMPLATE = "classpath:JsonLayout.json";

    private final String app;

    /** @param app the prefix of the app's keys: {@code relay}, {@code agent} or {@code proxy} */
    public LogOutput(String app) {
        this.app = app;
    }

    @Override
    public void afterConfigure(BaseMainSupport main) {
        String json = main.getCamelContext()
                .getPropertiesComponent()
                .resolveProperty(app + ".log.json")
                .orElse("false");
        if (Boolean.parseBoolean(json.trim())) {
            useJson((LoggerContext) LogManager.getContext(false));
        }
    }

    /** Replaces every console appender of {@code context} by one writing JSON lines to the same stream. */
    public static void useJson(LoggerContext context) {
        Configuration config = context.getConfiguration();
        for (Map.Entry<String, Appender> entry :
                Map.copyOf(config.getAppenders()).entrySet()) {
            if (entry.getValue() instanceof ConsoleAppender console
                    && !(console.getLayout() instanceof JsonTemplateLayout)) {
                replace(config, console, jsonConsole(config, console));
            }
        }
        context.updateLoggers();
    }

    private static ConsoleAppender jsonConsole(Configuration config, ConsoleAppender plain) {
        JsonTemplateLayout layout = JsonTemplateLayout.newBuilder()
                .setConfiguration(config)
                .setEventTemplateUri(TEMPLATE)
                .build();
        ConsoleAppender json = ConsoleAppender.newBuilder()
                .setName(plain.getName())
                .setTarget(plain.getTarget())
                .setLayout(layout)
                .setFilter(plain.getFilter())
                .setConfiguration(config)
                .build();
        json.start();
        return json;
    }

    /** Same name, same loggers, same levels: only the layout changes. */
    private static void replace(Configuration config, ConsoleAppender plain, ConsoleAppender json) {
        for (LoggerConfig logger : loggers(config)) {
            var ref = logger.getAppenderRefs().stream()
                    .filter(r -> r.getRef().equals(plain.getName()))
                    .findFirst();
            if (logger.getAppenders().containsKey(plain.getName())) {
                logger.removeAppender(plain.getName());
                logger.addAppender(
                        json,
                        ref.map(r -> r.getLevel()).orElse(null),
                        ref.map(r -> r.getFilter()).orElse(null));
            }
        }
        config.getAppenders().remove(plain.getName());
        config.addAppender(json);
        plain.stop();
    }

    private static Iterable<LoggerConfig> loggers(Configuration config) {
        var all = new java.util.ArrayList<>(config.getLoggers().values());
        all.add(config.getRootLogger());
        return all;
    }
}
