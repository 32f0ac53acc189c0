package dev.clusterconnect.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A refusal is an answer, not a failure: a request without a token (401), with one the relay does
 * not accept (401), for a cluster nobody registered (404) or one without an agent (503) gets its
 * Status and an access line, and no ERROR (before this, Camel's error handler logged each one with
 * its message history, 12 lines, and a draining replica's readiness probe did the same 5 times a second).
 */
class RefusalLoggingTest {

    @TempDir
    Path dir;

    @Test
    void refusedRequestsAreAnsweredWithoutAnErrorOrWarningLine() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        LoggerContext logs = (LoggerContext) LogManager.getContext(false);
        AbstractAppender capture = new AbstractAppender("refusals", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                if (event.getLevel().isMoreSpecificThan(Level.WARN)) {
                    lines.add(event.getLevel() + " " + event.getLoggerName() + " "
                            + event.getMessage().getFormattedMessage());
                }
            }
        };
        capture.start();
        logs.getConfiguration().getRootLogger().addAppender(capture, Level.WARN, null);
        logs.updateLoggers();
        try (TestIssuer issuer = new TestIssuer(dir);
                TestRelay relay = TestRelay.start(dir, issuer, Map.of())) {
            String alice = issuer.token("alice");
            String id = relay.createCluster(alice, "quiet");
            lines.clear(); // start-up may warn about its development certificates and such

            assertThat(relay.get("/clusters/" + id + "/api/v1/pods", null).status())
                    .isEqualTo(401);
            assertThat(relay.get("/clusters/" + id + "/api/v1/pods", "not-a-jwt")
                            .status())
                    .isEqualTo(401);
            assertThat(relay.get("/clusters/nobody-registered-this/api/v1/pods", alice)
                            .status())
                    .isEqualTo(404);
            assertThat(relay.get("/clusters/" + id + "/api/v1/pods", alice).status())
                    .isEqualTo(503);
            assertThat(relay.get("/clusters/" + id + "/api/v1/pods", issuer.token("mallory"))
                            .status())
                    .isEqualTo(403);

            assertThat(lines).isEmpty();
        } finally {
            logs.getConfiguration().getRootLogger().removeAppender("refusals");
            logs.updateLoggers();
        }
    }
}
