package dev.clusterconnect.routes.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SettingsTest {

    private static Settings of(Map<String, String> values) {
        return new Settings(key -> Optional.ofNullable(values.get(key)));
    }

    @Test
    void aDeadlineIsADurationAboveZeroOrItsDefault() {
        Settings settings = of(Map.of("a.timeout", "300ms"));

        assertThat(settings.deadline("a.timeout", Duration.ofSeconds(60))).isEqualTo(Duration.ofMillis(300));
        assertThat(settings.deadline("b.timeout", Duration.ofSeconds(60))).isEqualTo(Duration.ofSeconds(60));
        settings.validate("test");
    }

    @Test
    void aDeadlineOfZeroOrNotADurationIsReportedWithTheOtherProblems() {
        Settings settings = of(Map.of("a.timeout", "0s", "b.timeout", "soon"));

        settings.deadline("a.timeout", Duration.ofSeconds(60));
        settings.deadline("b.timeout", Duration.ofSeconds(60));

        assertThatThrownBy(() -> settings.validate("test"))
                .hasMessageContaining("a.timeout must be longer than 0, got '0s'")
                .hasMessageContaining("b.timeout must be a duration");
    }
}
