package vn.ndx.contract.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import vn.ndx.contract.GatewayProof;
import vn.ndx.contract.Headers;
import vn.ndx.contract.SecretFiles;

/**
 * What the gateway holds to call the internal services, for tests that call a service as the gateway
 * would: one owner-only key file per service in a directory made once per JVM, and requests signed with
 * them. A test that plays an attacker simply sends its request unsigned, or signed for another call.
 */
public final class GatewayProofs {

    private static volatile Path keysDir;

    private GatewayProofs() {
    }

    /** The directory the gateway's {@code ndx.gateway.internal-proof.keys-dir} points at. */
    public static Path keysDir() {
        if (keysDir == null) {
            synchronized (GatewayProofs.class) {
                if (keysDir == null) {
                    try {
                        Path dir = Files.createTempDirectory("ndx-proof-keys");
                        for (String service : List.of("registry", "exchange", "audit", "data-subject")) {
                            SecretFiles.write(dir.resolve(service + ".key"),
                                    (GatewayProof.newKey() + "\n").getBytes(StandardCharsets.US_ASCII), false);
                        }
                        keysDir = dir;
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        }
        return keysDir;
    }

    /** The key the gateway digests citizens' identity numbers under ({@code ndx.gateway.data-subject.key-file}). */
    public static Path dataSubjectKeyFile() {
        return keysDir().resolve("data-subject.key");
    }

    /** The key file of one service ({@code ndx.gateway-proof.key-file}). */
    public static Path keyFile(String service) {
        return keysDir().resolve(service + ".key");
    }

    /** {@code request} as the gateway sends it to {@code service}: with the proof for exactly this call. */
    public static HttpRequest signed(String service, HttpRequest request) {
        GatewayProof proof = GatewayProof.fromKeyFile(service, keyFile(service));
        var call = GatewayProof.Call.of(request.method(), request.uri().getRawPath(), request.uri().getRawQuery(),
                name -> request.headers().firstValue(name).orElse(null));
        return HttpRequest.newBuilder(request, (name, value) -> !name.equalsIgnoreCase(Headers.GATEWAY_PROOF))
                .header(Headers.GATEWAY_PROOF, proof.sign(call, Instant.now().getEpochSecond() + 30))
                .build();
    }
}
