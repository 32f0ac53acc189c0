package dev.clusterconnect.proxy.token;

import java.io.PrintStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One run of the OAuth 2.0 device authorization grant (RFC 8628): ask for a device code, tell
 * the user where to enter it, then poll the token endpoint until they have signed in.
 */
final class DeviceCodeFlow {

    static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:device_code";
    // RFC 8628 section 3.2: "If no value is provided, clients MUST use 5 as the default."
    private static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    // RFC 8628 section 3.5: on slow_down "the interval MUST be increased by 5 seconds"
    private static final Duration SLOW_DOWN_STEP = Duration.ofSeconds(5);

    private final HttpJson http;
    private final Map<String, String> clientAuthentication;
    private final PrintStream prompt;
    private final Sleeper sleeper;
    private final Clock clock;
    private final Consumer<URI> browser;

    DeviceCodeFlow(
            HttpJson http,
            Map<String, String> clientAuthentication,
            PrintStream prompt,
            Sleeper sleeper,
            Clock clock,
            Consumer<URI> browser) {
        this.http = http;
        this.clientAuthentication = clientAuthentication;
        this.prompt = prompt;
        this.sleeper = sleeper;
        this.clock = clock;
        this.browser = browser;
    }

    /** Runs the flow and returns the successful token response. */
    HttpJson.Response run(OidcProviderMetadata provider, String scope) {
        Map<String, String> form = new LinkedHashMap<>(clientAuthentication);
        form.put("scope", scope);
        HttpJson.Response authorization = http.postForm(provider.deviceAuthorizationEndpoint(), form);
        if (!authorization.ok()) {
            throw new TokenException(
                    "the identity provider refused the device authorization request: " + authorization.oauthError());
        }
        String deviceCode = required(authorization, "device_code");
        Instant deadline = clock.instant()
                .plusSeconds(authorization.body().path("expires_in").asLong(600));
        showPrompt(authorization);
        return poll(provider.tokenEndpoint(), deviceCode, interval(authorization), deadline);
    }

    private HttpJson.Response poll(URI tokenEndpoint, String deviceCode, Duration initialInterval, Instant deadline) {
        Map<String, String> form = new LinkedHashMap<>(clientAuthentication);
        form.put("grant_type", GRANT_TYPE);
        form.put("device_code", deviceCode);
        Duration interval = initialInterval;
        while (clock.instant().isBefore(deadline)) {
            pause(interval);
            HttpJson.Response response = http.postForm(tokenEndpoint, form);
            if (response.ok()) {
                return response;
            }
            String error = String.valueOf(response.text("error"));
            switch (error) {
                case "authorization_pending" -> {
                    // the user has not finished signing in yet
                }
                case "slow_down" -> interval = interval.plus(SLOW_DOWN_STEP);
                case "expired_token" -> throw expired();
                case "access_denied" -> throw new TokenException("sign-in was denied at the identity provider");
                default ->
                    throw new TokenException("the identity provider refused the device code: " + response.oauthError());
            }
        }
        throw expired();
    }

    private void showPrompt(HttpJson.Response authorization) {
        String userCode = required(authorization, "user_code");
        // "verification_url" is what Google's older endpoint calls it
        String uri = authorization.text("verification_uri") != null
                ? authorization.text("verification_uri")
                : required(authorization, "verification_url");
        prompt.println("To sign in, open " + uri + " and enter the code " + userCode);
        String complete = authorization.text("verification_uri_complete");
        if (complete != null) {
            prompt.println("or open " + complete);
        }
        prompt.flush();
        // the page with the code filled in spares the user typing it
        browser.accept(URI.create(complete != null ? complete : uri));
    }

    private void pause(Duration interval) {
        try {
            sleeper.sleep(interval);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TokenException("interrupted while waiting for sign-in");
        }
    }

    private static Duration interval(HttpJson.Response authorization) {
        long seconds = authorization.body().path("interval").asLong(0);
        return seconds > 0 ? Duration.ofSeconds(seconds) : DEFAULT_INTERVAL;
    }

    private static String required(HttpJson.Response response, String field) {
        String value = response.text(field);
        if (value == null || value.isBlank()) {
            throw new TokenException("the device authorization response has no " + field);
        }
        return value;
    }

    private static TokenException expired() {
        return new TokenException("the device code expired before sign-in finished; run the command again");
    }
}
