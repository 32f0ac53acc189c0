package dev.clusterconnect.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.spi.ShutdownStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Camel Main forces the JVM out shutdown-timeout + extra-shutdown-timeout after SIGTERM; the drain
 * runs inside that time. Measured before this: a 60 s drain was cut at 25 s, leaving the
 * replica's tunnels unclosed and its rows in the store until another replica swept them.
 */
class DrainOnStopTest {

    @TempDir
    Path dir;

    @Test
    void camelsShutdownTimeoutCoversTheUnreadyDelayAndTheDrain() throws Exception {
        try (TestIssuer issuer = new TestIssuer(dir);
                TestRelay relay = TestRelay.start(
                        dir,
                        issuer,
                        Map.of("relay.shutdown.unready-delay", "5s", "relay.shutdown.drain-timeout", "60s"))) {
            ShutdownStrategy strategy = relay.main.getCamelContext().getShutdownStrategy();
            assertThat(strategy.getTimeUnit().toSeconds(strategy.getTimeout())).isGreaterThanOrEqualTo(75);
        }
    }

    @Test
    void aLongerShutdownTimeoutOfTheOperatorsIsKept() throws Exception {
        try (TestIssuer issuer = new TestIssuer(dir);
                TestRelay relay = TestRelay.start(dir, issuer, Map.of("camel.main.shutdown-timeout", "300"))) {
            ShutdownStrategy strategy = relay.main.getCamelContext().getShutdownStrategy();
            assertThat(strategy.getTimeUnit().toSeconds(strategy.getTimeout())).isEqualTo(300);
            assertThat(strategy.getTimeUnit()).isEqualTo(TimeUnit.SECONDS);
        }
    }
}
