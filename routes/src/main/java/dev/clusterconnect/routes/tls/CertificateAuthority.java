package dev.clusterconnect.routes.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A small certificate authority: the proxy's local CA (kept in the user's config directory, so the
 * kubeconfig's {@code certificate-authority-data} stays valid across restarts), the demo's relay
 * and sandbox certificates, and the tests'. ECDSA P-256 keys; certificates are issued, never
 * self-signed, so clients pin the CA and verify host names.
 */
public final class CertificateAuthority {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final KeyPair keys;
    private final X509Certificate certificate;

    private CertificateAuthority(KeyPair keys, X509Certificate certificate) {
        this.keys = keys;
        this.certificate = certificate;
    }

    /** A new CA valid for {@code validity}. */
    public static CertificateAuthority create(String commonName, Duration validity) {
        try {
            KeyPair keys = newKeyPair();
            X500Name name = new X500Name("CN=" + commonName);
            Instant now = Instant.now();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    name,
                    serial(),
                    Date.from(now.minusSeconds(300)),
                    Date.from(now.plus(validity)),
                    name,
                    keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(
                    Extension.subjectKeyIdentifier,
                    false,
                    new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
            return new CertificateAuthority(keys, sign(builder, keys.getPrivate()));
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot create a CA", e);
        }
    }

    /** Loads a CA written by {@link #write(Path, Path)}. */
    public static CertificateAuthority load(Path certificateFile, Path keyFile) {
        return new CertificateAuthority(
                PemFiles.readKeyPair(keyFile),
                PemFiles.readCertificates(certificateFile).get(0));
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** Issues a server certificate for the given DNS names and IP addresses. */
    public Issued issueServer(String commonName, List<String> dnsNames, List<String> ipAddresses, Duration validity) {
        return issue(commonName, dnsNames, ipAddresses, validity, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
    }

    /**
     * Issues a relay replica's peer certificate: it serves the peer port and dials other replicas
     * with the same certificate, so it is good for both TLS server and client authentication.
     */
    public Issued issuePeer(String commonName, List<String> dnsNames, List<String> ipAddresses, Duration validity) {
        return issue(commonName, dnsNames, ipAddresses, validity, new ExtendedKeyUsage(new KeyPurposeId[] {
            KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth
        }));
    }

    private Issued issue(
            String commonName,
            List<String> dnsNames,
            List<String> ipAddresses,
            Duration validity,
            ExtendedKeyUsage usage) {
        try {
            KeyPair serverKeys = newKeyPair();
            Instant now = Instant.now();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    certificate,
                    serial(),
                    Date.from(now.minusSeconds(300)),
                    Date.from(now.plus(validity)),
                    new X500Name("CN=" + commonName),
                    serverKeys.getPublic());
            List<GeneralName> names = new ArrayList<>();
            dnsNames.forEach(n -> names.add(new GeneralName(GeneralName.dNSName, n)));
            ipAddresses.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
            builder.addExtension(
                    Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, usage);
            builder.addExtension(
                    Extension.authorityKeyIdentifier,
                    false,
                    new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(certificate));
            return new Issued(sign(builder, keys.getPrivate()), serverKeys.getPrivate(), certificate);
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot issue a certificate", e);
        }
    }

    /** Writes the CA certificate and (0600) key as PEM. */
    public void write(Path certificateFile, Path keyFile) {
        PemFiles.writePrivate(keyFile, toPem(keys.getPrivate()));
        PemFiles.write(certificateFile, toPem(certificate));
    }

    public String certificatePem() {
        return toPem(certificate);
    }

    static String toPem(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            // PKCS#8 ("BEGIN PRIVATE KEY"): the form every TLS stack, Netty's included, reads.
            if (object instanceof PrivateKey key) {
                writer.writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null));
            } else {
                writer.writeObject(object);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(128, RANDOM);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
            throws OperatorCreationException, GeneralSecurityException {
        ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(key);
        return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    }

    /** A certificate with its key, and the CA that issued it. */
    public record Issued(X509Certificate certificate, PrivateKey key, X509Certificate issuer) {

        public String certificatePem() {
            return toPem(certificate);
        }

        public String keyPem() {
            return toPem(key);
        }

        /** Writes certificate (with the issuer appended, as servers present chains) and key. */
        public void write(Path certificateFile, Path keyFile) {
            PemFiles.writePrivate(keyFile, keyPem());
            PemFiles.write(certificateFile, certificatePem() + toPem(issuer));
        }
    }

    /** Writes {@code content} to {@code target} atomically. */
    static void atomicWrite(Path target, String content, boolean secret) {
        try {
            Path dir = target.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".tmp-", ".pem");
            if (secret) {
                try {
                    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException notPosix) {
                    // Windows: the user profile's ACLs protect the file
                }
            }
            Files.writeString(tmp, content);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }
}
