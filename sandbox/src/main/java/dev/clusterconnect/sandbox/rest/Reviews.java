package dev.clusterconnect.sandbox.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clusterconnect.sandbox.auth.Authorizer;
import dev.clusterconnect.sandbox.auth.Identity;
import dev.clusterconnect.sandbox.auth.RequestAttributes;
import dev.clusterconnect.sandbox.store.ApiException;
import dev.clusterconnect.sandbox.store.Json;
import java.util.List;
import java.util.Map;

/**
 * The self-reviews kubectl posts: {@code SelfSubjectReview} ({@code kubectl auth whoami}) answers the
 * identity the request acted as; {@code SelfSubjectAccessReview} ({@code kubectl auth can-i}) asks
 * the authorizer.
 */
public final class Reviews {

    private final Authorizer authorizer;

    /** Reviews answered with the given authorizer. */
    public Reviews(Authorizer authorizer) {
        this.authorizer = authorizer;
    }

    /** Whether this server answers reviews of {@code resource} in {@code apiVersion}. */
    public static boolean serves(String apiVersion, String resource) {
        return (apiVersion.equals("authentication.k8s.io/v1") && resource.equals("selfsubjectreviews"))
                || (apiVersion.equals("authorization.k8s.io/v1") && resource.equals("selfsubjectaccessreviews"));
    }

    /** The answered review for a POSTed body. */
    public ObjectNode review(String resource, Identity identity, ObjectNode body) {
        ObjectNode review = body.deepCopy();
        review.withObjectProperty("metadata");
        if (resource.equals("selfsubjectreviews")) {
            review.put("apiVersion", "authentication.k8s.io/v1").put("kind", "SelfSubjectReview");
            review.withObjectProperty("status").set("userInfo", userInfo(identity));
            return review;
        }
        review.put("apiVersion", "authorization.k8s.io/v1").put("kind", "SelfSubjectAccessReview");
        boolean allowed = authorizer.allows(identity, attributes(review.path("spec")));
        review.putObject("status").put("allowed", allowed);
        return review;
    }

    private static RequestAttributes attributes(JsonNode spec) {
        JsonNode resource = spec.path("resourceAttributes");
        if (resource.isObject()) {
            return new RequestAttributes(
                    resource.path("verb").asText(),
                    resource.path("group").asText(),
                    resource.path("resource").asText(),
                    resource.path("subresource").asText(),
                    resource.path("namespace").asText(),
                    resource.path("name").asText(),
                    "");
        }
        JsonNode nonResource = spec.path("nonResourceAttributes");
        if (nonResource.isObject()) {
            return new RequestAttributes(
                    nonResource.path("verb").asText(),
                    "",
                    null,
                    "",
                    "",
                    "",
                    nonResource.path("path").asText());
        }
        throw ApiException.invalid(
                "selfsubjectaccessreviews",
                "",
                "SelfSubjectAccessReview.authorization.k8s.io \"\" is invalid: spec: Invalid value: "
                        + "exactly one of nonResourceAttributes or resourceAttributes must be specified");
    }

    private static ObjectNode userInfo(Identity identity) {
        ObjectNode info = Json.object().put("username", identity.username());
        if (!identity.uid().isEmpty()) {
            info.put("uid", identity.uid());
        }
        ArrayNode groups = info.putArray("groups");
        identity.groups().forEach(groups::add);
        if (!identity.extra().isEmpty()) {
            ObjectNode extra = info.putObject("extra");
            for (Map.Entry<String, List<String>> entry : identity.extra().entrySet()) {
                ArrayNode values = extra.putArray(entry.getKey());
                entry.getValue().forEach(values::add);
            }
        }
        return info;
    }
}
