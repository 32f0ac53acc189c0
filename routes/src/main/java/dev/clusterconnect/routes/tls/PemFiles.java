package dev.clusterconnect.routes.tls;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/** Reading and writing PEM files. */
public final class PemFiles {

    private PemFiles() {}

    public static List<X509Certificate> readCertificates(Path file) {
        try {
            return parseCertificates(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    public static List<X509Certificate> parseCertificates(String pem) {
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            List<X509Certificate> result = new ArrayList<>();
            for (var cert : factory.generateCertificates(
                    new java.io.ByteArrayInputStream(pem.getBytes(java.nio.charset.StandardCharsets.US_ASCII)))) {
                result.add((X509Certificate) cert);
            }
            if (result.isEmpty()) {
                throw new IllegalArgumentException("no certificate in PEM");
            }
            return result;
        } catch (CertificateException e) {
            throw new IllegalArgumentException("not a PEM certificate: " + e.getMessage());
        }
    }

    static KeyPair readKeyPair(Path file) {
        try (Reader reader = new StringReader(Files.readString(file));
                PEMParser parser = new PEMParser(reader)) {
            Object object = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (object instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair);
            }
            if (object instanceof PrivateKeyInfo info) {
                var key = converter.getPrivateKey(info);
                return new KeyPair(null, key);
            }
            throw new IllegalArgumentException("no private key in " + file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    public static void write(Path file, String pem) {
        CertificateAuthority.atomicWrite(file, pem, false);
    }

    public static void writePrivate(Path file, String pem) {
        CertificateAuthority.atomicWrite(file, pem, true);
    }
}
