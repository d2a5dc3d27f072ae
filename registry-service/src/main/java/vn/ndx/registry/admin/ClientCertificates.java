package vn.ndx.registry.admin;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;

import vn.ndx.contract.CertificateThumbprint;
import vn.ndx.contract.ProblemException;
import vn.ndx.registry.model.RegistryData.ClientCertificate;

/**
 * Reads the certificate an administrator binds a client to. Only its thumbprint matters afterwards; the
 * checks here keep an administrator from binding a client to something that could never connect.
 */
final class ClientCertificates {

    /** The media type of a PEM certificate chain (RFC 8555 section 9.1). */
    static final String PEM_CHAIN = "application/pem-certificate-chain";

    private ClientCertificates() {
    }

    static ClientCertificate parse(String pem, Instant now) {
        if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
            throw ProblemException.invalid("certificate", "must be an X.509 certificate in PEM, -----BEGIN CERTIFICATE----- first");
        }
        X509Certificate certificate;
        try {
            var certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            if (certificates.isEmpty()) {
                throw ProblemException.invalid("certificate", "holds no certificate");
            }
            certificate = (X509Certificate) certificates.iterator().next();
        } catch (GeneralSecurityException e) {
            throw ProblemException.invalid("certificate", "is not a readable X.509 certificate in PEM");
        }
        Instant notAfter = certificate.getNotAfter().toInstant();
        if (!notAfter.isAfter(now)) {
            throw ProblemException.invalid("certificate", "expired at " + notAfter);
        }
        if (certificate.getBasicConstraints() >= 0) {
            throw ProblemException.invalid("certificate", "is a certificate authority's, not a client's");
        }
        return new ClientCertificate(CertificateThumbprint.of(certificate), certificate.getSubjectX500Principal().getName(), notAfter);
    }
}
