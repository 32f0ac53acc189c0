package dev.clusterconnect.e2e;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;

/**
 * What a user does in the browser during the device-code sign-in at Keycloak: open the link the
 * CLI printed, sign in with name and password, and grant access on the consent page.
 */
final class KeycloakBrowser {

    private static final Pattern LOGIN_FORM = Pattern.compile("<form[^>]*id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"");
    private static final Pattern CONSENT_FORM =
            Pattern.compile("<form[^>]*action=\"([^\"]*login-actions/consent[^\"]*)\"");
    private static final Pattern CODE = Pattern.compile("name=\"code\" value=\"([^\"]+)\"");

    private final HttpClient browser;

    KeycloakBrowser(SSLContext tls) {
        browser = HttpClient.newBuilder()
                .sslContext(tls)
                .cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    /** Completes the sign-in that {@code verificationUri} (with its user code) stands for. */
    void signIn(String verificationUri, String user, String password) throws IOException, InterruptedException {
        HttpResponse<String> login =
                send(HttpRequest.newBuilder(URI.create(verificationUri)).GET());
        HttpResponse<String> consent =
                post(login, find(LOGIN_FORM, login), Map.of("username", user, "password", password));
        HttpResponse<String> done =
                post(consent, find(CONSENT_FORM, consent), Map.of("code", find(CODE, consent), "accept", "Yes"));
        if (!done.body().contains("Device Login Successful")) {
            throw new IllegalStateException("the device sign-in did not succeed:\n" + done.body());
        }
    }

    private HttpResponse<String> post(HttpResponse<String> page, String action, Map<String, String> form)
            throws IOException, InterruptedException {
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(page.uri().resolve(action))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return browser.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String find(Pattern pattern, HttpResponse<String> page) {
        Matcher matcher = pattern.matcher(page.body());
        if (!matcher.find()) {
            throw new IllegalStateException("no " + pattern + " on " + page.uri() + ":\n" + page.body());
        }
        return matcher.group(1).replace("&amp;", "&");
    }
}
