package dev.clusterconnect.proxy.token;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The little HTTP the token sources need: GET a JSON document, POST a form and read a JSON
 * answer. Error messages name the host and the OAuth error, never a body that could hold a token.
 */
final class HttpJson {

    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient client;

    HttpJson(HttpClient client) {
        this.client = client;
    }

    /** A response whose body parsed as JSON (an empty object if it did not). */
    record Response(int status, JsonNode body) {

        boolean ok() {
            return status / 100 == 2;
        }

        /** The body field as text, or {@code null}. */
        String text(String field) {
            JsonNode node = body.get(field);
            return node == null || node.isNull() ? null : node.asText();
        }

        /** The OAuth {@code error} and {@code error_description}, or the status if there are none. */
        String oauthError() {
            String error = text("error");
            if (error == null) {
                return "HTTP " + status;
            }
            String description = text("error_description");
            return description == null ? error : error + " (" + description + ")";
        }
    }

    Response get(URI uri, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json")
                .GET();
        headers.forEach(request::header);
        return send(request.build());
    }

    Response postForm(URI uri, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return send(request);
    }

    private Response send(HttpRequest request) {
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), parse(response.body()));
        } catch (IOException e) {
            throw new TokenException("cannot reach " + request.uri().getHost() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TokenException(
                    "interrupted while talking to " + request.uri().getHost());
        }
    }

    private static JsonNode parse(String body) {
        try {
            JsonNode node = MAPPER.readTree(body);
            return node == null || !node.isObject() ? MAPPER.createObjectNode() : node;
        } catch (IOException e) {
            return MAPPER.createObjectNode();
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
