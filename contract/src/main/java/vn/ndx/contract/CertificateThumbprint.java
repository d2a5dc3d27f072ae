package vn.ndx.contract;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.Base64;

/**
 * The {@code x5t#S256} of a certificate (RFC 8705 section 3.1): the SHA-256 of its DER encoding, base64url
 * without padding. The registry binds a client to it, its tokens name it in {@code cnf}, and the gateway
 * compares it with the certificate a connection presented.
 */
public final class CertificateThumbprint {

    private CertificateThumbprint() {
    }

    public static String of(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot take the thumbprint of a certificate", e);
        }
    }
}
