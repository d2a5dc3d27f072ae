package vn.ndx.gateway.auth;

import java.security.cert.X509Certificate;

import org.jspecify.annotations.Nullable;
import org.springframework.http.server.reactive.SslInfo;
import vn.ndx.contract.CertificateThumbprint;

/** The client certificate a TLS connection to the gateway presented, as RFC 8705 names it. */
public final class PresentedCertificate {

    private PresentedCertificate() {
    }

    /** The {@code x5t#S256} of the connection's client certificate, or null without TLS or without one. */
    public static @Nullable String thumbprint(@Nullable SslInfo ssl) {
        X509Certificate[] chain = ssl == null ? null : ssl.getPeerCertificates();
        return chain == null || chain.length == 0 ? null : CertificateThumbprint.of(chain[0]);
    }
}
