package dev.clusterconnect.routes.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.main.Main;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.ConsoleAppender;
import org.apache.logging.log4j.core.config.DefaultConfiguration;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.layout.template.json.JsonTemplateLayout;
import org.apache.logging.log4j.message.SimpleMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LogOutputTest {

    private LoggerContext context;

    @BeforeEach
    void plainConsole() {
        // a context of its own: the test's console stays as it is
        context = new LoggerContext("log-output-test");
        context.start(new DefaultConfiguration());
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    @Test
    void withJsonOnAConsoleLineParsesAsJsonWithMessageLevelAndLogger() throws Exception {
        LogOutput.useJson(context);

        ConsoleAppender console = onlyConsole();
        String line = console.getLayout()
                .toSerializable(Log4jLogEvent.newBuilder()
                        .setLoggerName("dev.clusterconnect.access")
                        .setLevel(Level.INFO)
                        .setMessage(new SimpleMessage("[0123abcd] relay-clients GET /clusters/x/api 200 3ms"))
                        .build())
                .toString();

        assertThat(line).endsWith("\n").doesNotContain("\n{");
        JsonNode json = new ObjectMapper().readTree(line);
        assertThat(json.path("message").asText()).isEqualTo("[0123abcd] relay-clients GET /clusters/x/api 200 3ms");
        assertThat(json.path("level").asText()).isEqualTo("INFO");
        assertThat(json.path("loggerName").asText()).isEqualTo("dev.clusterconnect.access");
    }

    @Test
    void theJsonConsoleTakesThePlainOnesPlaceOnTheRootLogger() {
        String name = onlyConsole().getName();

        LogOutput.useJson(context);

        Appender onRoot =
                context.getConfiguration().getRootLogger().getAppenders().get(name);
        assertThat(onRoot).isSameAs(onlyConsole());
        assertThat(onRoot.getLayout().getContentType()).startsWith("application/json");
        assertThat(onRoot.isStarted()).isTrue();
    }

    @Test
    void theAppsLogJsonKeySwitchesTheConsoleOnceTheAppIsConfigured() throws Exception {
        LoggerContext shared = (LoggerContext) LogManager.getContext(false);
        Main main = new Main();
        main.addMainListener(new LogOutput("demo"));
        main.addOverrideProperty("demo.log.json", "true");
        try {
            main.start();
            assertThat(shared.getConfiguration().getAppenders().values())
                    .filteredOn(ConsoleAppender.class::isInstance)
                    .isNotEmpty()
                    .allMatch(console -> console.getLayout() instanceof JsonTemplateLayout);
        } finally {
            main.stop();
            shared.reconfigure(); // back to the test's plain console
        }
    }

    private ConsoleAppender onlyConsole() {
        var consoles = context.getConfiguration().getAppenders().values().stream()
                .filter(ConsoleAppender.class::isInstance)
                .map(ConsoleAppender.class::cast)
                .toList();
        assertThat(consoles).hasSize(1);
        return consoles.get(0);
    }
}
