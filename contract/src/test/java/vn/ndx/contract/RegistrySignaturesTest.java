package vn.ndx.contract;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.ndx.contract.testing.RegistryKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegistrySignaturesTest {

    static final byte[] SNAPSHOT = "{\"version\":7,\"grants\":[]}".getBytes(StandardCharsets.UTF_8);
    static final byte[] FORGED = "{\"version\":9223372036854775807,\"grants\":[]}".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    @Test
    void a_reader_trusts_what_the_pinned_key_signed_and_nothing_else() {
        var pair = RegistryKeys.generate();
        var signer = RegistrySignatures.Signer.fromKeyFiles(RegistryKeys.writeKeyFile(dir.resolve("k"), pair), null);
        var trust = RegistrySignatures.Trust.of(List.of(pair.getPublic()));
        String signature = signer.sign(SNAPSHOT);

        assertThat(trust.verifies(SNAPSHOT, signature, null)).isTrue();
        assertThat(trust.verifies(FORGED, signature, null)).as("another value under the same signature").isFalse();
        assertThat(trust.verifies(SNAPSHOT, null, null)).as("unsigned").isFalse();
        var stranger = RegistrySignatures.Signer.fromKeyFiles(RegistryKeys.writeKeyFile(dir.resolve("s"), RegistryKeys.stranger()), null);
        assertThat(trust.verifies(FORGED, stranger.sign(FORGED), null)).as("signed by another key").isFalse();
        // a stranger who claims the trusted key's id gains nothing
        String claimed = RegistrySignatures.keyId(pair.getPublic()) + stranger.sign(FORGED).substring(stranger.keyId().length());
        assertThat(trust.verifies(FORGED, claimed, null)).isFalse();
    }

    @Test
    void a_new_key_is_trusted_when_the_pinned_key_endorses_it_and_not_when_a_stranger_does() {
        var old = RegistryKeys.generate();
        var next = RegistryKeys.generate();
        Path oldFile = RegistryKeys.writeKeyFile(dir.resolve("old"), old);
        Path nextFile = RegistryKeys.writeKeyFile(dir.resolve("next"), next);
        var rotating = RegistrySignatures.Signer.fromKeyFiles(nextFile, oldFile);
        var trust = RegistrySignatures.Trust.of(List.of(old.getPublic()));

        assertThat(trust.verifies(SNAPSHOT, rotating.sign(SNAPSHOT), rotating.endorsement())).isTrue();
        assertThat(trust.verifies(SNAPSHOT, rotating.sign(SNAPSHOT), null)).as("no endorsement").isFalse();
        var selfEndorsed = RegistrySignatures.Signer.fromKeyFiles(
                RegistryKeys.writeKeyFile(dir.resolve("s"), RegistryKeys.stranger()), nextFile);
        assertThat(trust.verifies(FORGED, selfEndorsed.sign(FORGED), selfEndorsed.endorsement()))
                .as("endorsed by a key the reader does not pin").isFalse();
    }

    @Test
    void a_key_file_whose_public_key_is_not_its_own_is_refused_at_start() throws Exception {
        var one = RegistryKeys.generate();
        var other = RegistryKeys.generate();
        Path file = dir.resolve("mixed");
        SecretFiles.write(file, (RegistrySignatures.toPem(one.getPrivate()) + RegistrySignatures.toPem(other.getPublic()))
                .getBytes(StandardCharsets.US_ASCII), true);
        assertThatThrownBy(() -> RegistrySignatures.Signer.fromKeyFiles(file, null)).hasMessageContaining("not its private key's");
    }
}
