package dev.clusterconnect.routes.identity;

import java.util.Objects;

/**
 * The outcome of {@link TokenAuthenticator#authenticate(String)}: exactly one of
 * {@link Authenticated}, {@link PassThrough} or {@link Refused}.
 */
public sealed interface Authentication
        permits Authentication.Authenticated, Authentication.PassThrough, Authentication.Refused {

    /**
     * The token was verified against a trusted issuer and mapped to a Kubernetes identity:
     * call the apiserver with the agent's own credential plus {@link ImpersonationHeaders#of(KubeIdentity)}.
     *
     * @param identity the identity to impersonate
     * @param issuer   the configured issuer URL that vouched for it
     * @param subject  the token's {@code sub} claim, empty when absent
     */
    record Authenticated(KubeIdentity identity, String issuer, String subject) implements Authentication {
        public Authenticated {
            Objects.requireNonNull(identity, "identity");
            Objects.requireNonNull(issuer, "issuer");
            subject = subject == null ? "" : subject;
        }
    }

    /**
     * The token is not from a trusted issuer and service-account pass-through is enabled:
     * forward it to the apiserver unchanged, without impersonation, and let the apiserver judge it.
     */
    record PassThrough() implements Authentication {}

    /**
     * The token was refused.
     *
     * @param httpStatus 401, 403 or 503, see {@link RefusalReason#httpStatus()}
     * @param reason     low-cardinality reason, safe as a metrics label
     * @param message    human-readable explanation; never contains the token or any part of it
     */
    record Refused(int httpStatus, RefusalReason reason, String message) implements Authentication {
        public Refused {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(message, "message");
        }

        /** A refusal with the reason's own HTTP status. */
        public static Refused of(RefusalReason reason, String message) {
            return new Refused(reason.httpStatus(), reason, message);
        }
    }
}
