package vn.ndx.contract;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GatewayProofTest {

    static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    static final byte[] OTHER = "fedcba9876543210fedcba9876543210".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    static final Map<String, String> HEADERS = Map.of(Headers.TRANSACTION_ID, "tx-1", Headers.TRANSACTION_STARTED_AT, "2026-12-04T10:00:00Z",
            Headers.CALLER_AGENCY, "000.00.00.H29", Headers.CALLER_SYSTEM, "one-stop-portal", Headers.CALLER_CLIENT, "h29-one-stop-portal");
    static final GatewayProof.Call CALL = call("POST", "/records/000.00.00.H41/one-stop-portal/x", Map.of());

    /** The call above, with another method or target, and some headers changed, added or removed (an empty value). */
    static GatewayProof.Call call(String method, String target, Map<String, String> changed) {
        var headers = new HashMap<>(HEADERS);
        headers.putAll(changed);
        headers.values().removeIf(String::isEmpty);
        return GatewayProof.Call.of(method, target, null, headers::get);
    }
    static final long NOW = 1_800_000_000L;

    @Test
    void a_proof_holds_for_its_own_call_at_its_own_service_until_it_expires() {
        var exchange = GatewayProof.of("exchange", List.of(KEY));
        String proof = exchange.sign(CALL, NOW + 30);

        assertThat(exchange.verify(proof, CALL, NOW)).isTrue();
        assertThat(exchange.verify(proof, CALL, NOW + 30 + GatewayProof.CLOCK_SKEW.toSeconds())).isTrue();
        assertThat(exchange.verify(proof, CALL, NOW + 31 + GatewayProof.CLOCK_SKEW.toSeconds())).as("expired").isFalse();
        assertThat(GatewayProof.of("audit", List.of(KEY)).verify(proof, CALL, NOW)).as("another service").isFalse();
        assertThat(GatewayProof.of("exchange", List.of(OTHER)).verify(proof, CALL, NOW)).as("another key").isFalse();
    }

    @Test
    void nothing_the_proof_binds_can_be_changed() {
        var exchange = GatewayProof.of("exchange", List.of(KEY));
        String proof = exchange.sign(CALL, NOW + 30);
        for (var changed : List.of(
                call("GET", CALL.target(), Map.of()),
                call("POST", CALL.target() + "?x=1", Map.of()),
                call("POST", CALL.target(), Map.of(Headers.TRANSACTION_ID, "tx-2")),
                call("POST", CALL.target(), Map.of(Headers.TRANSACTION_STARTED_AT, "2021-03-03T00:00:00Z")),
                call("POST", CALL.target(), Map.of(Headers.CALLER_AGENCY, "000.00.00.H99")),
                call("POST", CALL.target(), Map.of(Headers.CALLER_CLIENT, "")),
                call("POST", CALL.target(), Map.of(Headers.OPERATOR, "op")),
                // a certificate the caller's connection never showed cannot be claimed for it
                call("POST", CALL.target(), Map.of(Headers.CLIENT_CERTIFICATE, "x5t")),
                // a read-only operator cannot pass for a platform administrator
                call("POST", CALL.target(), Map.of(Headers.OPERATOR, "op", Headers.OPERATOR_ROLE, "platform-admin")),
                // nor a flood come from another address than the one the gateway saw
                call("POST", CALL.target(), Map.of(Headers.CLIENT_ADDRESS, "192.0.2.1")))) {
            assertThat(exchange.verify(proof, changed, NOW)).as(changed.toString()).isFalse();
        }
    }

    @Test
    void a_far_expiry_or_a_malformed_proof_is_refused_and_a_second_key_verifies_during_rotation() {
        var old = GatewayProof.of("exchange", List.of(KEY));
        assertThat(old.verify(old.sign(CALL, NOW + 3600), CALL, NOW)).as("valid for an hour: never").isFalse();
        for (String malformed : new String[] {"", "v1", "v1.x.y", "v2." + (NOW + 10) + ".AAAA", "v1." + (NOW + 10) + ".!!"}) {
            assertThat(old.verify(malformed, CALL, NOW)).as(malformed).isFalse();
        }
        var rotating = GatewayProof.of("exchange", List.of(OTHER, KEY));
        assertThat(rotating.verify(old.sign(CALL, NOW + 30), CALL, NOW)).isTrue();
        assertThat(old.verify(rotating.sign(CALL, NOW + 30), CALL, NOW)).isFalse();
    }
}
