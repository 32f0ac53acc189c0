package dev.clusterconnect.sandbox.auth;

import dev.clusterconnect.sandbox.store.ApiException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Bearer-token authentication and {@code Impersonate-*} handling, the way the apiserver treats our
 * agent: a known token names a user; a user allowed to impersonate may act as the identity the
 * impersonation headers describe; anyone else sending them is refused. Header values arrive read
 * as UTF-8 ({@code Utf8HeaderValues}), extra keys are percent-decoded as the apiserver does.
 */
public final class Authenticator {

    private static final String USER = "Impersonate-User";
    private static final String GROUP = "Impersonate-Group";
    private static final String UID = "Impersonate-Uid";
    private static final String EXTRA_PREFIX = "impersonate-extra-";

    private final Map<String, Identity> tokens;
    private final Set<String> impersonators;
    private final Authorizer rbac;

    /**
     * @param tokens bearer token to the identity it authenticates
     * @param impersonators user names allowed to impersonate
     */
    public Authenticator(Map<String, Identity> tokens, Set<String> impersonators) {
        this(tokens, impersonators, null);
    }

    /**
     * @param tokens bearer token to the identity it authenticates
     * @param impersonators user names allowed to impersonate whatever RBAC says
     * @param rbac decides the {@code impersonate} verb for everyone else, or {@code null}: no one else may
     */
    public Authenticator(Map<String, Identity> tokens, Set<String> impersonators, Authorizer rbac) {
        this.tokens = Map.copyOf(tokens);
        this.impersonators = Set.copyOf(impersonators);
        this.rbac = rbac;
    }

    /** The identity the token in the headers authenticates, or 401 Unauthorized. */
    public Identity authenticate(HttpHeaders headers) {
        String authorization = headers.get(HttpHeaderNames.AUTHORIZATION, "");
        Identity identity = authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? tokens.get(authorization.substring(7).trim())
                : null;
        if (identity == null) {
            throw new ApiException(401, "Unauthorized", "Unauthorized", null, null);
        }
        return identity;
    }

    /**
     * The identity the request acts as: the impersonated one when impersonation headers are present
     * and {@code authenticated} may impersonate (403 when it may not), else {@code authenticated}.
     */
    public Identity impersonate(Identity authenticated, HttpHeaders headers) {
        String user = headers.get(USER);
        List<String> groups = headers.getAll(GROUP);
        String uid = headers.get(UID);
        Map<String, List<String>> extra = extra(headers);
        if (user == null && groups.isEmpty() && uid == null && extra.isEmpty()) {
            return authenticated;
        }
        if (!impersonators.contains(authenticated.username()) && rbac != null) {
            checkImpersonation(authenticated, user, groups, uid, extra);
        } else if (!impersonators.contains(authenticated.username())) {
            String target = user != null ? user : groups.isEmpty() ? uid : groups.get(0);
            String resource = user != null ? "users" : groups.isEmpty() ? "uids" : "groups";
            throw new ApiException(
                    403,
                    "Forbidden",
                    resource + " \"" + target + "\" is forbidden: User \""
                            + authenticated.username() + "\" cannot impersonate resource \"" + resource
                            + "\" in API group \"" + (resource.equals("uids") ? "authentication.k8s.io" : "")
                            + "\" at the cluster scope",
                    resource,
                    target);
        }
        if (user == null) {
            throw ApiException.badRequest(
                    "requested impersonation of groups, uid or extra without impersonating a user");
        }
        List<String> allGroups = new ArrayList<>(groups);
        if (!user.equals("system:anonymous") && !allGroups.contains(Identity.AUTHENTICATED)) {
            allGroups.add(Identity.AUTHENTICATED);
        }
        return new Identity(user, uid == null ? "" : uid, allGroups, extra);
    }

    /**
     * As the apiserver's impersonation filter: the {@code impersonate} verb on {@code users}, each of
     * {@code groups}, {@code uids} and {@code userextras/<key>} (value as name), each checked alone.
     */
    private void checkImpersonation(
            Identity authenticated, String user, List<String> groups, String uid, Map<String, List<String>> extra) {
        List<RequestAttributes> wanted = new ArrayList<>();
        if (user != null) {
            wanted.add(impersonating("", "users", "", user));
        }
        groups.forEach(group -> wanted.add(impersonating("", "groups", "", group)));
        if (uid != null) {
            wanted.add(impersonating("authentication.k8s.io", "uids", "", uid));
        }
        extra.forEach((key, values) ->
                values.forEach(value -> wanted.add(impersonating("authentication.k8s.io", "userextras", key, value))));
        for (RequestAttributes attributes : wanted) {
            if (!rbac.allows(authenticated, attributes)) {
                throw Forbidden.of(authenticated, attributes);
            }
        }
    }

    private static RequestAttributes impersonating(String group, String resource, String subresource, String name) {
        return new RequestAttributes("impersonate", group, resource, subresource, "", name, "");
    }

    private static Map<String, List<String>> extra(HttpHeaders headers) {
        Map<String, List<String>> extra = new LinkedHashMap<>();
        for (Map.Entry<String, String> header : headers) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (name.startsWith(EXTRA_PREFIX)) {
                String key = unescapeExtraKey(name.substring(EXTRA_PREFIX.length()));
                extra.computeIfAbsent(key, k -> new ArrayList<>()).add(header.getValue());
            }
        }
        extra.replaceAll((k, v) -> List.copyOf(v));
        return extra;
    }

    /** As the apiserver: url.PathUnescape ('+' stays '+'), and the key as sent when that fails. */
    private static String unescapeExtraKey(String escaped) {
        try {
            return URLDecoder.decode(escaped.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return escaped;
        }
    }
}
