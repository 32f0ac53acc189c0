package dev.clusterconnect.proxy.token;

import java.net.URI;
import java.util.Map;

/**
 * The endpoints of an OpenID provider that the device-code flow needs, from its discovery
 * document ({@code <issuer>/.well-known/openid-configuration}).
 */
record OidcProviderMetadata(URI issuer, URI tokenEndpoint, URI deviceAuthorizationEndpoint) {

    static OidcProviderMetadata discover(HttpJson http, URI issuer) {
        String base = issuer.toString().replaceAll("/+$", "");
        HttpJson.Response response = http.get(URI.create(base + "/.well-known/openid-configuration"), Map.of());
        if (!response.ok()) {
            throw new TokenException("OIDC discovery at " + issuer + " failed: HTTP " + response.status());
        }
        String advertised = response.text("issuer");
        // OpenID Connect Discovery 1.0 section 4.3: the document must be for the issuer we asked about
        if (advertised == null || !advertised.replaceAll("/+$", "").equals(base)) {
            throw new TokenException("OIDC discovery at " + issuer + " names a different issuer: " + advertised);
        }
        String token = response.text("token_endpoint");
        String device = response.text("device_authorization_endpoint");
        if (token == null || device == null) {
            throw new TokenException("the identity provider " + issuer
                    + " does not offer the device authorization grant (no device_authorization_endpoint)");
        }
        return new OidcProviderMetadata(issuer, URI.create(token), URI.create(device));
    }
}
