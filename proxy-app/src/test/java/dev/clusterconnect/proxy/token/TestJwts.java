package dev.clusterconnect.proxy.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/** Signed JWTs with a chosen expiry, for tests that only care about the {@code exp} claim. */
public final class TestJwts {

    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes();

    private TestJwts() {}

    /** A JWT for subject "alice" expiring at {@code exp}; each call gives a different token. */
    public static String expiringAt(Instant exp) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject("alice")
                .issuer("https://issuer.example")
                .jwtID(UUID.randomUUID().toString())
                .expirationTime(Date.from(exp))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        try {
            jwt.sign(new MACSigner(KEY));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }
}
