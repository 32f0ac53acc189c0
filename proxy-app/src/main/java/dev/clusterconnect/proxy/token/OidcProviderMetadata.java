package dev.clusterconnect.proxy.token;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * The endpoints of an OpenID provider that the CLI uses, from its discovery document
 * ({@code <issuer>/.well-known/openid-configuration}): the token endpoint always, the device
 * authorization endpoint (RFC 8628) to sign in, and the revocation endpoint (RFC 7009) to sign
 * out, when the provider offers them.
 */
record OidcProviderMetadata(URI issuer, URI tokenEndpoint, URI deviceEndpoint, URI revocationEndpoint) {

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
        if (token == null) {
            throw new TokenException("the identity provider " + issuer + " names no token_endpoint");
        }
        return new OidcProviderMetadata(
                issuer,
                URI.create(token),
                optional(response, "device_authorization_endpoint"),
                optional(response, "revocation_endpoint"));
    }

    /** The device authorization endpoint; a clear error if the provider has none. */
    URI deviceAuthorizationEndpoint() {
        if (deviceEndpoint == null) {
            throw new TokenException("the identity provider " + issuer
                    + " does not offer the device authorization grant (no device_authorization_endpoint)");
        }
        return deviceEndpoint;
    }

    /** Where to revoke a refresh token (RFC 7009), if the provider says. */
    Optional<URI> revocation() {
        return Optional.ofNullable(revocationEndpoint);
    }

    private static URI optional(HttpJson.Response response, String field) {
        String value = response.text(field);
        return value == null || value.isBlank() ? null : URI.create(value);
    }
}
