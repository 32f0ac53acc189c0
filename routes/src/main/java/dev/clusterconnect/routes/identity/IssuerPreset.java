package dev.clusterconnect.routes.identity;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Claim mappings for well-known identity providers, selected with {@code issuers.<name>.preset}.
 * Explicit keys override the preset; prefixes are never preset (they are the operator's choice).
 * docs/identity.md shows each as a properties snippet.
 */
public enum IssuerPreset {
    /** Microsoft Entra ID v1 access tokens ({@code iss} https://sts.windows.net/&lt;tenant&gt;/). */
    ENTRA_V1("entra-v1", new ClaimMapping("upn", "", "groups", "", "oid", List.of("tid"))),
    /** Microsoft Entra ID v2 tokens ({@code iss} https://login.microsoftonline.com/&lt;tenant&gt;/v2.0). */
    ENTRA_V2("entra-v2", new ClaimMapping("preferred_username", "", "groups", "", "oid", List.of("tid"))),
    /** Keycloak, with a "groups" mapper on the client scope. */
    KEYCLOAK("keycloak", new ClaimMapping("preferred_username", "", "groups", "", "sub", List.of())),
    /** GitHub Actions OIDC: the user is the workflow's {@code sub}, e.g. {@code repo:org/repo:ref:refs/heads/main}. */
    GITHUB_ACTIONS(
            "github-actions", new ClaimMapping("sub", "", null, "", null, List.of("repository", "ref", "workflow"))),
    /** Google: the user is the verified e-mail address, the uid the stable {@code sub}. */
    GOOGLE("google", new ClaimMapping("email", "", null, "", "sub", List.of("hd")));

    private final String id;
    private final ClaimMapping mapping;

    IssuerPreset(String id, ClaimMapping mapping) {
        this.id = id;
        this.mapping = mapping;
    }

    /** The name used in configuration, e.g. {@code entra-v2}. */
    public String id() {
        return id;
    }

    /** The claim mapping this preset stands for. */
    public ClaimMapping mapping() {
        return mapping;
    }

    /** The preset with this configuration name. */
    public static Optional<IssuerPreset> byId(String id) {
        return Arrays.stream(values()).filter(preset -> preset.id.equals(id)).findFirst();
    }

    /** Every configuration name, for error messages. */
    public static List<String> ids() {
        return Arrays.stream(values()).map(IssuerPreset::id).toList();
    }
}
