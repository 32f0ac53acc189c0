package dev.clusterconnect.proxy.token;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs the user in with the OAuth 2.0 device authorization grant (RFC 8628) against an OpenID
 * provider: the endpoints come from discovery, the user is told where to enter a code, and the
 * token endpoint is polled until they are done. The refresh token is kept in a
 * {@link RefreshTokenStore}, and a later call first tries the {@code refresh_token} grant, so
 * the user is only prompted again once the provider stops accepting it.
 *
 * <p>Prompts go to the given stream (standard error by default: when running as a kubectl exec
 * plugin, standard output is reserved for the credential).
 */
public final class DeviceCodeTokenSource implements TokenSource {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceCodeTokenSource.class);

    /** Which token of the response to use. */
    public enum TokenType {
        /** The ID token, audience = client id: what Kubernetes OIDC authentication expects. */
        ID_TOKEN("id_token"),
        /** The access token, for providers whose access tokens are JWTs for an API audience. */
        ACCESS_TOKEN("access_token");

        private final String field;

        TokenType(String field) {
            this.field = field;
        }
    }

    private final URI issuer;
    private final String scope;
    private final TokenType tokenType;
    private final Map<String, String> clientAuthentication;
    private final RefreshTokenStore store;
    private final HttpJson http;
    private final DeviceCodeFlow flow;
    private final Clock clock;
    private OidcProviderMetadata provider;

    private DeviceCodeTokenSource(Builder builder) {
        this.issuer = builder.issuer;
        this.scope = String.join(" ", builder.scopes);
        this.tokenType = builder.tokenType;
        this.clientAuthentication = new LinkedHashMap<>();
        clientAuthentication.put("client_id", builder.clientId);
        if (builder.clientSecret != null) {
            clientAuthentication.put("client_secret", builder.clientSecret);
        }
        this.store = builder.store;
        this.http = new HttpJson(builder.httpClient);
        this.clock = builder.clock;
        this.flow = new DeviceCodeFlow(
                http, Map.copyOf(clientAuthentication), builder.prompt, builder.sleeper, clock, builder.browser);
    }

    /**
     * @param issuer   the OpenID provider's issuer URL
     * @param clientId the public client registered for the CLI
     * @return a builder with the defaults: scopes {@code openid offline_access}, ID token,
     *         prompts on standard error, no refresh token storage
     */
    public static Builder builder(URI issuer, String clientId) {
        return new Builder(issuer, clientId);
    }

    /**
     * Blocks until the user has signed in (or the stored refresh token worked). Only one sign-in
     * runs at a time.
     */
    @Override
    public synchronized Token token() {
        OidcProviderMetadata endpoints = provider();
        Optional<Token> refreshed = refresh(endpoints);
        if (refreshed.isPresent()) {
            return refreshed.get();
        }
        return accept(flow.run(endpoints, scope));
    }

    /**
     * Runs the device-code flow now, whatever is stored: {@code clusterconnect login}. The new
     * refresh token replaces the stored one; if the provider returns none, the stored one is
     * forgotten too, since it belongs to an earlier sign-in (maybe of another user).
     */
    public synchronized SignIn signIn() {
        HttpJson.Response response = flow.run(provider(), scope);
        String refreshToken = response.text("refresh_token");
        boolean kept = store != null && refreshToken != null && !refreshToken.isBlank();
        if (store != null && !kept) {
            store.clear();
        }
        Token token = accept(response);
        return new SignIn(token, Identity.of(response.text("id_token"), response.text("access_token")), kept);
    }

    /**
     * Forgets the stored refresh token: {@code clusterconnect logout}. When the provider's
     * discovery document names a {@code revocation_endpoint}, the token is revoked there first
     * (RFC 7009), best effort: if that fails the token is forgotten all the same and the answer
     * carries a warning.
     */
    public synchronized SignOut signOut() {
        Optional<String> refreshToken = store == null ? Optional.empty() : store.load();
        if (refreshToken.isEmpty()) {
            return new SignOut(false, false, Optional.empty());
        }
        boolean revoked = false;
        String warning = null;
        try {
            Optional<URI> endpoint = provider().revocation();
            if (endpoint.isPresent()) {
                Map<String, String> form = new LinkedHashMap<>(clientAuthentication);
                form.put("token", refreshToken.get());
                form.put("token_type_hint", "refresh_token");
                HttpJson.Response response = http.postForm(endpoint.get(), form);
                revoked = response.ok();
                if (!revoked) {
                    warning = issuer + " did not revoke the refresh token: " + response.oauthError();
                }
            }
        } catch (TokenException e) {
            warning = "could not revoke the refresh token at " + issuer + ": " + e.getMessage();
        }
        store.clear();
        return new SignOut(true, revoked, Optional.ofNullable(warning));
    }

    /**
     * The outcome of {@link #signIn()}.
     *
     * @param token            the token other commands would use (never to be printed)
     * @param identity         who the ID token, else the access token, says signed in
     * @param refreshTokenKept whether a refresh token was stored for the next commands
     */
    public record SignIn(Token token, Optional<Identity> identity, boolean refreshTokenKept) {}

    /**
     * The outcome of {@link #signOut()}.
     *
     * @param wasSignedIn whether a refresh token was stored
     * @param revoked     whether the provider confirmed its revocation
     * @param warning     why revocation failed, if it did
     */
    public record SignOut(boolean wasSignedIn, boolean revoked, Optional<String> warning) {}

    private Optional<Token> refresh(OidcProviderMetadata endpoints) {
        Optional<String> refreshToken = store == null ? Optional.empty() : store.load();
        if (refreshToken.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> form = new LinkedHashMap<>(clientAuthentication);
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", refreshToken.get());
        HttpJson.Response response = http.postForm(endpoints.tokenEndpoint(), form);
        if (response.ok() && response.text(tokenType.field) == null) {
            // some providers leave the ID token out of refresh responses; a full sign-in gets one
            LOG.info("The refresh response has no {}; starting a new sign-in", tokenType.field);
            return Optional.empty();
        }
        if (response.ok()) {
            return Optional.of(accept(response));
        }
        if (response.status() / 100 == 4) {
            // invalid_grant and friends: the session is over, sign in again from scratch
            LOG.info("The stored sign-in is no longer accepted ({}); starting a new sign-in", response.oauthError());
            store.clear();
            return Optional.empty();
        }
        throw new TokenException("refreshing the token at " + issuer + " failed: " + response.oauthError());
    }

    private Token accept(HttpJson.Response response) {
        String refreshToken = response.text("refresh_token");
        if (store != null && refreshToken != null && !refreshToken.isBlank()) {
            store.save(refreshToken);
        }
        String value = response.text(tokenType.field);
        if (value == null || value.isBlank()) {
            throw new TokenException("the identity provider returned no " + tokenType.field
                    + "; check the requested scopes (an ID token needs 'openid')");
        }
        long expiresIn = response.body().path("expires_in").asLong(0);
        // expires_in describes the access token; a JWT's own exp always wins
        return expiresIn > 0 ? Token.of(value, clock.instant().plusSeconds(expiresIn)) : Token.of(value);
    }

    private OidcProviderMetadata provider() {
        if (provider == null) {
            provider = OidcProviderMetadata.discover(http, issuer);
        }
        return provider;
    }

    /** Settings of a {@link DeviceCodeTokenSource}. */
    public static final class Builder {
        private final URI issuer;
        private final String clientId;
        private List<String> scopes = List.of("openid", "offline_access");
        private TokenType tokenType = TokenType.ID_TOKEN;
        private String clientSecret;
        private RefreshTokenStore store;
        private PrintStream prompt = System.err;
        private HttpClient httpClient;
        private Sleeper sleeper = Sleeper.SYSTEM;
        private Clock clock = Clock.systemUTC();
        private Consumer<URI> browser = uri -> {};

        private Builder(URI issuer, String clientId) {
            this.issuer = Objects.requireNonNull(issuer, "issuer");
            this.clientId = Objects.requireNonNull(clientId, "clientId");
        }

        /** The scopes to request; include {@code offline_access} to get a refresh token from most providers. */
        public Builder scopes(List<String> value) {
            this.scopes = List.copyOf(value);
            return this;
        }

        /** Which token of the response to return. */
        public Builder tokenType(TokenType value) {
            this.tokenType = Objects.requireNonNull(value);
            return this;
        }

        /** A client secret, for providers that insist on one even for the device grant (sent in the form). */
        public Builder clientSecret(String value) {
            this.clientSecret = value;
            return this;
        }

        /** Where to keep the refresh token between runs; {@code null} keeps none. */
        public Builder refreshTokenStore(RefreshTokenStore value) {
            this.store = value;
            return this;
        }

        /** Where to tell the user the verification URL and code. */
        public Builder prompt(PrintStream value) {
            this.prompt = Objects.requireNonNull(value);
            return this;
        }

        /**
         * What to do with the verification page once the prompt is shown, e.g. open it in a
         * browser (the page with the code filled in, when the provider gives one). Must not throw.
         * By default nothing.
         */
        public Builder browser(Consumer<URI> value) {
            this.browser = Objects.requireNonNull(value);
            return this;
        }

        /** The HTTP client (to set a proxy or trust store). */
        public Builder httpClient(HttpClient value) {
            this.httpClient = value;
            return this;
        }

        /** How to wait between polls. */
        public Builder sleeper(Sleeper value) {
            this.sleeper = Objects.requireNonNull(value);
            return this;
        }

        /** The time source. */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value);
            return this;
        }

        /** The token source. */
        public DeviceCodeTokenSource build() {
            if (httpClient == null) {
                httpClient = HttpClient.newBuilder()
                        .connectTimeout(Duration.ofSeconds(10))
                        .followRedirects(HttpClient.Redirect.NORMAL)
                        .build();
            }
            return new DeviceCodeTokenSource(this);
        }
    }
}
