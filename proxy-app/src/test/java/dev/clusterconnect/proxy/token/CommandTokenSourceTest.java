package dev.clusterconnect.proxy.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandTokenSourceTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @Test
    void standardOutputTrimmedIsTheToken() {
        Instant exp = Instant.parse("2030-01-01T00:00:00Z");
        String jwt = TestJwts.expiringAt(exp);

        Token token = sh("echo 'progress on stderr' >&2; printf '  %s\\n\\n' '" + jwt + "'")
                .token();

        assertEquals(jwt, token.value());
        assertEquals(exp, token.expiresAt());
    }

    @Test
    void failureShowsStandardErrorButNeverTheToken() {
        String secret = "leaked-" + System.nanoTime();
        CapturedOutput console = CapturedOutput.start();
        TokenException error;
        try {
            error = assertThrows(
                    TokenException.class,
                    () -> sh("echo " + secret + "; echo \"ERROR: please run 'az login' ($0 " + secret
                                    + ")\" >&2; exit 3")
                            .token());
        } finally {
            console.stop();
        }

        assertTrue(error.getMessage().contains("exit code 3"), error.getMessage());
        assertTrue(error.getMessage().contains("please run 'az login'"), error.getMessage());
        assertFalse(error.getMessage().contains(secret), error.getMessage());
        assertFalse(console.text().contains(secret), "the token reached stdout or stderr");
    }

    @Test
    void argumentsAreNotRepeatedInErrors() {
        TokenException error = assertThrows(
                TokenException.class,
                () -> new CommandTokenSource(List.of("/bin/sh", "-c", "exit 1", "--client-secret=s3cr3t"), TIMEOUT)
                        .token());

        assertFalse(error.getMessage().contains("s3cr3t"), error.getMessage());
    }

    @Test
    void emptyOutputIsAnError() {
        TokenException error =
                assertThrows(TokenException.class, () -> sh("true").token());

        assertTrue(error.getMessage().contains("printed no token"), error.getMessage());
    }

    @Test
    void hangingCommandIsKilledAfterTheTimeout() {
        long start = System.nanoTime();
        TokenException error = assertThrows(
                TokenException.class,
                () -> new CommandTokenSource(List.of("/bin/sh", "-c", "sleep 60"), Duration.ofMillis(300)).token());

        assertTrue(error.getMessage().contains("within"), error.getMessage());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(30)) < 0);
    }

    @Test
    void missingProgramIsReported() {
        TokenException error = assertThrows(
                TokenException.class, () -> new CommandTokenSource(List.of("/nonexistent/az"), TIMEOUT).token());

        assertTrue(error.getMessage().contains("/nonexistent/az"), error.getMessage());
    }

    private static CommandTokenSource sh(String script) {
        return new CommandTokenSource(List.of("/bin/sh", "-c", script), TIMEOUT);
    }
}
