package vn.ndx.contract;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GatewayProofTest {

    static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    static final byte[] OTHER = "fedcba9876543210fedcba9876543210".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    static final GatewayProof.Call CALL = new GatewayProof.Call("POST", "/records/000.00.00.H41/one-stop-portal/x",
            "tx-1", "2026-12-04T10:00:00Z", "000.00.00.H29", "one-stop-portal", "h29-one-stop-portal", null, null, null);
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
                new GatewayProof.Call("GET", CALL.target(), "tx-1", CALL.startedAt(), CALL.callerAgency(), CALL.callerSystem(), CALL.callerClient(), null, null, null),
                new GatewayProof.Call("POST", CALL.target() + "?x=1", "tx-1", CALL.startedAt(), CALL.callerAgency(), CALL.callerSystem(), CALL.callerClient(), null, null, null),
                new GatewayProof.Call("POST", CALL.target(), "tx-2", CALL.startedAt(), CALL.callerAgency(), CALL.callerSystem(), CALL.callerClient(), null, null, null),
                new GatewayProof.Call("POST", CALL.target(), "tx-1", "2021-03-03T00:00:00Z", CALL.callerAgency(), CALL.callerSystem(), CALL.callerClient(), null, null, null),
                new GatewayProof.Call("POST", CALL.target(), "tx-1", CALL.startedAt(), "000.00.00.H99", CALL.callerSystem(), CALL.callerClient(), null, null, null),
                new GatewayProof.Call("POST", CALL.target(), "tx-1", CALL.startedAt(), CALL.callerAgency(), CALL.callerSystem(), CALL.callerClient(), "op", null, null),
                // a certificate the caller's connection never showed cannot be claimed for it
                new GatewayProof.Call("POST", CALL.target(), "tx-1", CALL.startedAt(), CALL.callerAgency(), CALL.callerSystem(), CALL.callerClient(), null, "x5t", null),
                // a read-only operator cannot pass for a platform administrator
                new GatewayProof.Call("POST", CALL.target(), "tx-1", CALL.startedAt(), CALL.callerAgency(), CALL.callerSystem(), CALL.callerClient(), null, null, "platform-admin"))) {
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
