package vn.ndx.contract.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

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
import vn.ndx.contract.SecretFiles;

/**
 * A certificate authority of the test's own, as {@code deploy/run} makes one for the local platform: EC
 * P-256 keys, a server certificate for localhost and 127.0.0.1, client certificates by common name.
 * Certificates are written as PEM (private keys owner-only) so that a service under test reads them exactly
 * as it reads a mounted secret; clients get an {@link SSLContext} that trusts this authority only.
 */
public final class TestPki {

    private static final Duration VALIDITY = Duration.ofDays(2);

    private final String name;
    private final KeyPair caKeys;
    private final X509Certificate ca;
    private final Path dir;

    private TestPki(String name) {
        this.name = name;
        this.caKeys = RegistryKeys.generate();
        this.ca = sign(new X500Name("CN=" + name), caKeys, null, true, List.of());
        try {
            this.dir = Files.createTempDirectory("ndx-pki-" + name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        writePem(dir.resolve("ca.crt"), ca, false);
    }

    /** A new authority; each test that needs one it alone trusts makes its own. */
    public static TestPki create(String name) {
        return new TestPki(name);
    }

    public Path caFile() {
        return dir.resolve("ca.crt");
    }

    public X509Certificate caCertificate() {
        return ca;
    }

    /** A server certificate for localhost and 127.0.0.1, as PEM files {@code <name>.crt} and {@code <name>.key}. */
    public Issued server(String fileName) {
        return issue(fileName, "CN=localhost", true, false);
    }

    /** A client certificate with the given subject, e.g. {@code CN=h29-one-stop-portal}. */
    public Issued client(String fileName, String subject) {
        return issue(fileName, subject, false, true);
    }

    /** A certificate for localhost that is both server and client: a broker, which also calls itself. */
    public Issued peer(String fileName, String subject) {
        return issue(fileName, subject, true, true);
    }

    /**
     * Kafka's PEM key store for an issued certificate: the PKCS#8 key, the certificate and this authority's,
     * in one owner-only file {@code <name>.pem}.
     */
    public Path keyStore(Issued issued) {
        try {
            Path file = issued.keyFile().resolveSibling(issued.keyFile().getFileName().toString().replace(".key", ".pem"));
            String pem = Files.readString(issued.keyFile()) + Files.readString(issued.certificateFile()) + Files.readString(caFile());
            SecretFiles.write(file, pem.getBytes(StandardCharsets.US_ASCII), true);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A client context that trusts this authority only, presenting no certificate. */
    public SSLContext trustingContext() {
        return context(null);
    }

    private Issued issue(String fileName, String subject, boolean server, boolean client) {
        KeyPair keys = RegistryKeys.generate();
        List<GeneralName> names = new ArrayList<>();
        List<KeyPurposeId> purposes = new ArrayList<>();
        if (server) {
            names.add(new GeneralName(GeneralName.dNSName, "localhost"));
            names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
            purposes.add(KeyPurposeId.id_kp_serverAuth);
        }
        if (client) {
            purposes.add(KeyPurposeId.id_kp_clientAuth);
        }
        X509Certificate certificate = sign(new X500Name(subject), keys, caKeys, false, names, purposes.toArray(KeyPurposeId[]::new));
        Path certificateFile = dir.resolve(fileName + ".crt");
        Path keyFile = dir.resolve(fileName + ".key");
        writePem(certificateFile, certificate, false);
        writePem(keyFile, keys.getPrivate(), true);
        return new Issued(certificate, keys, certificateFile, keyFile);
    }

    private SSLContext context(Issued presented) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry(name, ca);
            var trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trust);
            var keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            if (presented != null) {
                keys.setKeyEntry("client", presented.keys().getPrivate(), new char[0],
                        new java.security.cert.Certificate[] {presented.certificate(), ca});
            }
            keyManagers.init(keys, new char[0]);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), new SecureRandom());
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private X509Certificate sign(X500Name subject, KeyPair keys, KeyPair issuerKeys, boolean authority,
                                 List<GeneralName> names, KeyPurposeId... purposes) {
        try {
            Instant now = Instant.now();
            X500Name issuer = issuerKeys == null ? subject : X500Name.getInstance(ca.getSubjectX500Principal().getEncoded());
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, new SecureRandom()),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(VALIDITY)), subject, keys.getPublic());
            var extensions = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(authority));
            builder.addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(keys.getPublic()));
            if (authority) {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes));
                builder.addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(ca));
            }
            if (!names.isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
            }
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA")
                    .build((issuerKeys == null ? keys : issuerKeys).getPrivate());
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new IllegalStateException("Could not make a test certificate for " + subject, e);
        }
    }


    private static void writePem(Path file, Object value, boolean secret) {
        var text = new StringWriter();
        try (var pem = new JcaPEMWriter(text)) {
            pem.writeObject(value instanceof java.security.PrivateKey key
                    ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null) : value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.US_ASCII);
        if (secret) {
            SecretFiles.write(file, bytes, true);
        } else {
            try {
                Files.write(file, bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** An issued certificate, its keys, and the PEM files it was written to. */
    public record Issued(X509Certificate certificate, KeyPair keys, Path certificateFile, Path keyFile) {
    }

    /** A client context that trusts {@code pki}'s authority and presents {@code certificate}. */
    public SSLContext presenting(Issued certificate) {
        return context(certificate);
    }
}
