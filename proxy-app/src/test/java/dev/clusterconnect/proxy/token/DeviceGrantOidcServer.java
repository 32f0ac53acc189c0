package dev.clusterconnect.proxy.token;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.oauth2.sdk.ErrorObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.http.OAuth2HttpRequest;
import no.nav.security.mock.oauth2.http.OAuth2HttpResponse;
import no.nav.security.mock.oauth2.http.OAuth2HttpResponseKt;
import no.nav.security.mock.oauth2.http.Route;
import no.nav.security.mock.oauth2.http.WellKnown;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;

/**
 * navikt's mock-oauth2-server on a free port, with the RFC 8628 device authorization endpoints
 * added for issuer {@value #ISSUER_ID} (the library has no device grant of its own). Signing,
 * discovery, the authorization-code and refresh-token grants are the library's own.
 *
 * <p>Each poll of the token endpoint with the device grant takes the next scripted outcome: an
 * RFC 8628 error code, or {@link #APPROVE}, which answers with tokens the server issued through
 * its ordinary authorization-code flow (so the refresh token it returns is one the server knows).
 * The library accepts any refresh token, so revocation is added too: a {@link #revoke revoked}
 * token gets {@code invalid_grant}, every other one goes to the library's refresh grant.
 */
public final class DeviceGrantOidcServer implements AutoCloseable {

    public static final String ISSUER_ID = "device";
    public static final String CLIENT_ID = "clusterconnect-cli";
    public static final String APPROVE = "approve";
    public static final String USER_CODE = "WDJB-MJHT";
    public static final int INTERVAL_SECONDS = 2;

    private final MockOAuth2Server server;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ConcurrentLinkedQueue<String> outcomes = new ConcurrentLinkedQueue<>();
    private final List<Map<String, String>> deviceRequests = new CopyOnWriteArrayList<>();
    private final List<Map<String, String>> polls = new CopyOnWriteArrayList<>();
    private final List<String> issuedDeviceCodes = new CopyOnWriteArrayList<>();
    private final List<String> revoked = new CopyOnWriteArrayList<>();
    private final List<Map<String, String>> revocations = new CopyOnWriteArrayList<>();
    private final List<String> issuedTokens = new CopyOnWriteArrayList<>();
    private volatile int revocationStatus;

    public DeviceGrantOidcServer() {
        server = new MockOAuth2Server(
                new WellKnownWithDeviceEndpoint(),
                new DeviceAuthorizationEndpoint(),
                new DeviceCodeGrant(),
                new RevokedRefreshTokens(),
                new RevocationEndpoint());
        server.start(0);
    }

    public URI issuer() {
        return server.issuerUrl(ISSUER_ID).uri();
    }

    /** An issuer of the same server whose discovery document has no device endpoint. */
    URI issuerWithoutDeviceGrant() {
        return server.issuerUrl("plain").uri();
    }

    URI tokenEndpoint() {
        return server.tokenEndpointUrl(ISSUER_ID).uri();
    }

    /**
     * From now on, discovery names a revocation endpoint (RFC 7009) answering {@code status}
     * (200: the token is revoked and refused from then on); 0, the default, names none.
     */
    public void offerRevocation(int status) {
        revocationStatus = status;
    }

    /** The forms posted to the revocation endpoint. */
    public List<Map<String, String>> revocations() {
        return Collections.unmodifiableList(revocations);
    }

    /** Every access, ID and refresh token the device grant handed out. */
    public List<String> issuedTokens() {
        return Collections.unmodifiableList(issuedTokens);
    }

    /** The next sign-in is of this user, with these extra claims (e.g. preferred_username, email). */
    public void nextUser(String subject, Map<String, Object> claims) {
        server.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER_ID, subject, "JWT", List.of(CLIENT_ID), claims));
    }

    /** Replaces the outcomes of the next polls. */
    public void script(String... next) {
        outcomes.clear();
        outcomes.addAll(List.of(next));
    }

    /** Makes the server answer invalid_grant to this refresh token from now on. */
    void revoke(String refreshToken) {
        revoked.add(refreshToken);
    }

    public List<Map<String, String>> deviceRequests() {
        return Collections.unmodifiableList(deviceRequests);
    }

    List<Map<String, String>> polls() {
        return Collections.unmodifiableList(polls);
    }

    @Override
    public void close() {
        server.shutdown();
    }

    /** Signs a user in through the server's authorization-code flow and returns its token response. */
    private Map<String, Object> signIn() throws IOException, InterruptedException {
        String redirect = "http://localhost/callback";
        URI authorize = URI.create(server.authorizationEndpointUrl(ISSUER_ID) + "?client_id=" + CLIENT_ID
                + "&response_type=code&scope=openid+offline_access&state=s&nonce=n&redirect_uri=" + encode(redirect));
        HttpResponse<String> redirected =
                http.send(HttpRequest.newBuilder(authorize).build(), HttpResponse.BodyHandlers.ofString());
        String location = redirected.headers().firstValue("Location").orElseThrow();
        String code = location.replaceAll(".*[?&]code=([^&]+).*", "$1");
        String form = "grant_type=authorization_code&code=" + code + "&client_id=" + CLIENT_ID + "&redirect_uri="
                + encode(redirect);
        HttpResponse<String> tokens = http.send(
                HttpRequest.newBuilder(tokenEndpoint())
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode json = HttpJson.MAPPER.readTree(tokens.body());
        Map<String, Object> response = new LinkedHashMap<>();
        json.fields()
                .forEachRemaining(e -> response.put(
                        e.getKey(),
                        e.getValue().isNumber()
                                ? e.getValue().numberValue()
                                : e.getValue().asText()));
        return response;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static boolean isDevicePath(OAuth2HttpRequest request, String suffix) {
        List<String> segments = request.getUrl().pathSegments();
        return segments.size() >= 2
                && segments.get(0).equals(ISSUER_ID)
                && String.join("/", segments.subList(1, segments.size())).equals(suffix);
    }

    /** Discovery for the device issuer: the library's document plus device_authorization_endpoint. */
    private final class WellKnownWithDeviceEndpoint implements Route {
        @Override
        public boolean match(OAuth2HttpRequest request) {
            return isDevicePath(request, ".well-known/openid-configuration");
        }

        @Override
        public OAuth2HttpResponse invoke(OAuth2HttpRequest request) {
            WellKnown known = request.toWellKnown();
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("issuer", known.getIssuer());
            document.put("authorization_endpoint", known.getAuthorizationEndpoint());
            document.put("token_endpoint", known.getTokenEndpoint());
            document.put("jwks_uri", known.getJwksUri());
            if (revocationStatus != 0) {
                document.put(
                        "revocation_endpoint", server.url(ISSUER_ID + "/revoke").toString());
            }
            document.put(
                    "device_authorization_endpoint",
                    server.url(ISSUER_ID + "/device/code").toString());
            document.put(
                    "grant_types_supported", List.of("authorization_code", "refresh_token", DeviceCodeFlow.GRANT_TYPE));
            return OAuth2HttpResponseKt.json(document);
        }
    }

    /** RFC 8628 section 3.1/3.2. */
    private final class DeviceAuthorizationEndpoint implements Route {
        @Override
        public boolean match(OAuth2HttpRequest request) {
            return "POST".equals(request.getMethod()) && isDevicePath(request, "device/code");
        }

        @Override
        public OAuth2HttpResponse invoke(OAuth2HttpRequest request) {
            deviceRequests.add(request.getFormParameters().getMap());
            String deviceCode = UUID.randomUUID().toString();
            issuedDeviceCodes.add(deviceCode);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("device_code", deviceCode);
            body.put("user_code", USER_CODE);
            body.put("verification_uri", server.url(ISSUER_ID + "/device").toString());
            body.put(
                    "verification_uri_complete",
                    server.url(ISSUER_ID + "/device?user_code=" + USER_CODE).toString());
            body.put("expires_in", 600);
            body.put("interval", INTERVAL_SECONDS);
            return OAuth2HttpResponseKt.json(body);
        }
    }

    /** RFC 8628 section 3.4/3.5, answered from the script. */
    private final class DeviceCodeGrant implements Route {
        @Override
        public boolean match(OAuth2HttpRequest request) {
            return "POST".equals(request.getMethod())
                    && isDevicePath(request, "token")
                    && DeviceCodeFlow.GRANT_TYPE.equals(
                            request.getFormParameters().get("grant_type"));
        }

        @Override
        public OAuth2HttpResponse invoke(OAuth2HttpRequest request) {
            Map<String, String> form = request.getFormParameters().getMap();
            polls.add(form);
            if (!issuedDeviceCodes.contains(form.get("device_code"))) {
                return OAuth2HttpResponseKt.oauth2Error(new ErrorObject("invalid_grant", "unknown device_code", 400));
            }
            String outcome = outcomes.poll();
            if (outcome == null) {
                // a script that ran out must end the client's loop, not spin it
                outcome = "expired_token";
            }
            if (!APPROVE.equals(outcome)) {
                return OAuth2HttpResponseKt.oauth2Error(new ErrorObject(outcome, outcome, 400));
            }
            try {
                Map<String, Object> tokens = signIn();
                for (String field : List.of("access_token", "id_token", "refresh_token")) {
                    if (tokens.get(field) instanceof String token) {
                        issuedTokens.add(token);
                    }
                }
                return OAuth2HttpResponseKt.json(tokens);
            } catch (IOException e) {
                return OAuth2HttpResponseKt.oauth2Error(new ErrorObject("server_error", e.toString(), 500));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return OAuth2HttpResponseKt.oauth2Error(new ErrorObject("server_error", "interrupted", 500));
            }
        }
    }

    /** RFC 6749 section 5.2 invalid_grant for revoked refresh tokens; others fall through to the library. */
    private final class RevokedRefreshTokens implements Route {
        @Override
        public boolean match(OAuth2HttpRequest request) {
            return "POST".equals(request.getMethod())
                    && isDevicePath(request, "token")
                    && "refresh_token".equals(request.getFormParameters().get("grant_type"))
                    && revoked.contains(request.getFormParameters().get("refresh_token"));
        }

        @Override
        public OAuth2HttpResponse invoke(OAuth2HttpRequest request) {
            return OAuth2HttpResponseKt.oauth2Error(new ErrorObject("invalid_grant", "refresh token revoked", 400));
        }
    }

    /** RFC 7009 section 2: records the request; 200 revokes the token, anything else is an error. */
    private final class RevocationEndpoint implements Route {
        @Override
        public boolean match(OAuth2HttpRequest request) {
            return "POST".equals(request.getMethod()) && isDevicePath(request, "revoke");
        }

        @Override
        public OAuth2HttpResponse invoke(OAuth2HttpRequest request) {
            Map<String, String> form = request.getFormParameters().getMap();
            revocations.add(form);
            if (revocationStatus != 200) {
                return OAuth2HttpResponseKt.oauth2Error(
                        new ErrorObject("temporarily_unavailable", "try later", revocationStatus));
            }
            revoked.add(form.get("token"));
            return OAuth2HttpResponseKt.json(Map.of());
        }
    }

    /** The device codes handed out so far. */
    List<String> deviceCodes() {
        return new ArrayList<>(issuedDeviceCodes);
    }
}
