package dev.clusterconnect.proxy.token;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * An OIDC ID token for the running GitHub Actions job. The workflow needs
 * {@code permissions: id-token: write}, which makes the runner set
 * {@code ACTIONS_ID_TOKEN_REQUEST_URL} and {@code ACTIONS_ID_TOKEN_REQUEST_TOKEN}; the token is
 * requested for {@code audience}, which the agent checks.
 */
public final class GitHubActionsTokenSource implements TokenSource {

    /** The variable holding the runner's token service URL. */
    public static final String REQUEST_URL = "ACTIONS_ID_TOKEN_REQUEST_URL";
    /** The variable holding the bearer token that authorizes the request. */
    public static final String REQUEST_TOKEN = "ACTIONS_ID_TOKEN_REQUEST_TOKEN";

    private final String audience;
    private final Map<String, String> environment;
    private final HttpJson http;

    /**
     * @param audience    the {@code aud} the token is issued for
     * @param environment the process environment (usually {@link System#getenv()})
     * @param client      the HTTP client
     */
    public GitHubActionsTokenSource(String audience, Map<String, String> environment, HttpClient client) {
        this.audience = Objects.requireNonNull(audience, "audience");
        this.environment = Map.copyOf(environment);
        this.http = new HttpJson(client);
    }

    /** Whether the environment looks like a job allowed to request ID tokens. */
    public static boolean isAvailable(Map<String, String> environment) {
        return present(environment.get(REQUEST_URL)) && present(environment.get(REQUEST_TOKEN));
    }

    @Override
    public Token token() {
        if (!isAvailable(environment)) {
            throw new TokenException(REQUEST_URL + " and " + REQUEST_TOKEN
                    + " are not set: run inside GitHub Actions with 'permissions: id-token: write'");
        }
        String url = environment.get(REQUEST_URL);
        URI uri = URI.create(url + (url.contains("?") ? "&" : "?") + "audience="
                + URLEncoder.encode(audience, StandardCharsets.UTF_8));
        HttpJson.Response response = http.get(uri, Map.of("Authorization", "Bearer " + environment.get(REQUEST_TOKEN)));
        String value = response.ok() ? response.text("value") : null;
        if (value == null || value.isBlank()) {
            throw new TokenException("GitHub Actions did not issue an ID token: HTTP " + response.status());
        }
        return Token.of(value);
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }
}
