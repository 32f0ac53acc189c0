package dev.clusterconnect.proxy.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvironmentTokenSourceTest {

    @Test
    void tokenIsReadTrimmedWithItsExpiry() {
        Instant exp = Instant.parse("2030-01-01T00:00:00Z");
        String jwt = TestJwts.expiringAt(exp);
        Map<String, String> env = Map.of("CC_TOKEN", " " + jwt + "\n");

        Token token = new EnvironmentTokenSource("CC_TOKEN", env::get).token();

        assertEquals(jwt, token.value());
        assertEquals(exp, token.expiresAt());
    }

    @Test
    void missingVariableIsNamedInTheError() {
        TokenException error =
                assertThrows(TokenException.class, () -> new EnvironmentTokenSource("CC_TOKEN", name -> null).token());

        assertTrue(error.getMessage().contains("CC_TOKEN"));
    }
}
