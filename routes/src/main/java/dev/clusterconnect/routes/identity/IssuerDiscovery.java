package dev.clusterconnect.routes.identity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.util.Resource;
import com.nimbusds.jose.util.ResourceRetriever;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;

/**
 * OpenID Connect Discovery: finds an issuer's {@code jwks_uri} in
 * {@code <issuer>/.well-known/openid-configuration}.
 */
final class IssuerDiscovery {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WELL_KNOWN = "/.well-known/openid-configuration";

    private IssuerDiscovery() {}

    /**
     * Fetches the discovery document and returns its https {@code jwks_uri}, after checking that the
     * document names exactly this issuer (OIDC Discovery 1.0, section 4.3).
     */
    static URL jwksUri(String issuer, ResourceRetriever retriever) throws KeySourceException {
        URL location = discoveryUrl(issuer);
        JsonNode document = fetch(location, retriever);
        String advertised = document.path("issuer").asText("");
        if (!issuer.equals(advertised)) {
            throw new KeySourceException("discovery document at " + location + " names a different issuer");
        }
        String jwksUri = document.path("jwks_uri").asText("");
        try {
            URI uri = new URI(jwksUri);
            if (!"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new KeySourceException("discovery document at " + location + " has no https jwks_uri");
            }
            return uri.toURL();
        } catch (URISyntaxException | MalformedURLException | IllegalArgumentException e) {
            throw new KeySourceException("discovery document at " + location + " has an invalid jwks_uri", e);
        }
    }

    /** The discovery URL: any trailing slash of the issuer removed, then the well-known path appended. */
    static URL discoveryUrl(String issuer) throws KeySourceException {
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        try {
            return new URI(base + WELL_KNOWN).toURL();
        } catch (URISyntaxException | MalformedURLException e) {
            throw new KeySourceException("cannot build the discovery URL for " + issuer, e);
        }
    }

    private static JsonNode fetch(URL location, ResourceRetriever retriever) throws KeySourceException {
        Resource resource;
        try {
            resource = retriever.retrieveResource(location);
        } catch (IOException e) {
            throw new KeySourceException("cannot fetch " + location + ": " + e.getMessage(), e);
        }
        try {
            JsonNode document = JSON.readTree(resource.getContent());
            if (document == null || !document.isObject()) {
                throw new KeySourceException("discovery document at " + location + " is not a JSON object");
            }
            return document;
        } catch (JsonProcessingException e) {
            throw new KeySourceException("discovery document at " + location + " is not JSON", e);
        }
    }
}
