package dev.clusterconnect.relay.store;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/** Real P-256 keys as JWK JSON (RFC 7518 §6.2), made with the JDK alone. */
final class Jwks {

    private Jwks() {}

    /** @return a fresh public JWK with this kid */
    static String publicEc(String kid) {
        ECPublicKey key = (ECPublicKey) generate().getPublic();
        return "{ \"kty\": \"EC\", \"crv\": \"P-256\", \"kid\": \"" + kid + "\", \"x\": \""
                + coordinate(key.getW().getAffineX()) + "\", \"y\": \""
                + coordinate(key.getW().getAffineY()) + "\" }";
    }

    /** @return a fresh JWK that wrongly includes the private scalar "d" */
    static String privateEc(String kid) {
        KeyPair pair = generate();
        ECPublicKey key = (ECPublicKey) pair.getPublic();
        return "{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"" + kid + "\",\"x\":\""
                + coordinate(key.getW().getAffineX()) + "\",\"y\":\""
                + coordinate(key.getW().getAffineY()) + "\",\"d\":\""
                + coordinate(((ECPrivateKey) pair.getPrivate()).getS()) + "\"}";
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    // JWK coordinates are fixed-length (32 bytes for P-256), unsigned, big-endian.
    private static String coordinate(BigInteger value) {
        byte[] bytes = value.toByteArray();
        byte[] fixed = new byte[32];
        int copy = Math.min(bytes.length, 32);
        System.arraycopy(bytes, bytes.length - copy, fixed, 32 - copy, copy);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(fixed);
    }
}
