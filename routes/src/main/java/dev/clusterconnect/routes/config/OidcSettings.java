package dev.clusterconnect.routes.config;

import dev.clusterconnect.routes.identity.IdentityConfigException;
import dev.clusterconnect.routes.identity.TokenAuthenticator;
import java.util.Map;
import java.util.TreeMap;
import org.apache.camel.CamelContext;

/**
 * Builds an app's {@link TokenAuthenticator} from its {@code <prefix>.*} properties
 * ({@code agent.oidc}, {@code relay.oidc}), reporting problems through {@link Settings}.
 */
public final class OidcSettings {

    private OidcSettings() {}

    /**
     * The flat {@code <prefix>.*} properties: keys come from the property files (an issuer block is
     * a set of keys, which environment variables alone cannot introduce), values are resolved again
     * so environment variables override them like every other key.
     */
    public static Map<String, String> properties(CamelContext context, Settings settings, String prefix) {
        String dotted = prefix + ".";
        Map<String, String> oidc = new TreeMap<>();
        context.getPropertiesComponent()
                .loadProperties(key -> key.startsWith(dotted))
                .stringPropertyNames()
                .forEach(key -> settings.optional(key).ifPresent(value -> oidc.put(key, value)));
        return oidc;
    }

    /** The authenticator, or null after adding its problems to {@code settings}. */
    public static TokenAuthenticator authenticator(Map<String, String> properties, Settings settings, String prefix) {
        try {
            return TokenAuthenticator.fromProperties(properties, prefix);
        } catch (IdentityConfigException e) {
            settings.problem(e.getMessage());
            return null;
        }
    }

    /** True when at least one trusted issuer is configured under {@code prefix}. */
    public static boolean hasIssuers(Map<String, String> properties, String prefix) {
        return properties.keySet().stream().anyMatch(k -> k.startsWith(prefix + ".issuers."));
    }
}
