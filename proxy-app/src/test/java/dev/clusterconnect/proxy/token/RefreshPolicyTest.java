package dev.clusterconnect.proxy.token;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RefreshPolicyTest {

    private static final RefreshPolicy POLICY = RefreshPolicy.DEFAULT;
    private static final Instant FETCHED = Instant.parse("2030-01-01T00:00:00Z");

    @Test
    void hourLongTokenIsRefreshedFiveMinutesBeforeExpiry() {
        Token token = new Token("t", FETCHED.plus(Duration.ofHours(1)));

        assertFalse(POLICY.shouldRefresh(token, FETCHED, FETCHED.plus(Duration.ofMinutes(54))));
        assertTrue(POLICY.shouldRefresh(token, FETCHED, FETCHED.plus(Duration.ofMinutes(55))));
    }

    @Test
    void shortTokenIsRefreshedWhenTwentyPercentOfItsLifeIsLeft() {
        Token token = new Token("t", FETCHED.plus(Duration.ofMinutes(5)));

        assertFalse(POLICY.shouldRefresh(token, FETCHED, FETCHED.plusSeconds(239)));
        assertTrue(POLICY.shouldRefresh(token, FETCHED, FETCHED.plusSeconds(240)));
    }

    @Test
    void tokenOfUnknownExpiryIsReusedForAMinute() {
        Token token = new Token("t", null);

        assertFalse(POLICY.shouldRefresh(token, FETCHED, FETCHED.plusSeconds(59)));
        assertTrue(POLICY.shouldRefresh(token, FETCHED, FETCHED.plusSeconds(60)));
    }

    @Test
    void tokenThatWasAlreadyExpiredWhenFetchedIsRefreshed() {
        Token token = new Token("t", FETCHED.minusSeconds(1));

        assertTrue(POLICY.shouldRefresh(token, FETCHED, FETCHED));
    }
}
