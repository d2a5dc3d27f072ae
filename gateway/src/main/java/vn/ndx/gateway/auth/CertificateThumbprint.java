package vn.ndx.gateway.auth;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.Base64;

import org.jspecify.annotations.Nullable;
import org.springframework.http.server.reactive.SslInfo;

/**
 * The {@code x5t#S256} of the client certificate a TLS connection presented (RFC 8705): the SHA-256 of its
 * DER encoding, base64url without padding, as a certificate-bound token names it in {@code cnf}.
 */
public final class CertificateThumbprint {

    private CertificateThumbprint() {
    }

    /** The thumbprint of the connection's client certificate, or null without TLS or without one. */
    public static @Nullable String of(@Nullable SslInfo ssl) {
        X509Certificate[] chain = ssl == null ? null : ssl.getPeerCertificates();
        return chain == null || chain.length == 0 ? null : of(chain[0]);
    }

    public static String of(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot take the thumbprint of a client certificate", e);
        }
    }
}
