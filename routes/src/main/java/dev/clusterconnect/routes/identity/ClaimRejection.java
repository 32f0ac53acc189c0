package dev.clusterconnect.routes.identity;

import com.nimbusds.jwt.proc.BadJWTException;

/**
 * A token whose claims we refuse, with the reason. Extends nimbus' {@link BadJWTException} so the
 * claims verifier can throw it from inside {@code DefaultJWTProcessor}, after the signature check.
 * The message must never quote token content.
 */
final class ClaimRejection extends BadJWTException {

    private static final long serialVersionUID = 1L;

    private final RefusalReason reason;

    ClaimRejection(RefusalReason reason, String message) {
        super(message);
        this.reason = reason;
    }

    Authentication.Refused toRefused() {
        return Authentication.Refused.of(reason, getMessage());
    }
}
