package vn.ndx.contract;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretFilesTest {

    @TempDir
    Path dir;

    @Test
    void a_secret_is_created_owner_only_and_never_overwritten() throws Exception {
        Path file = dir.resolve("keys/one.key");
        SecretFiles.write(file, "first".getBytes(StandardCharsets.US_ASCII), false);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        assertThatThrownBy(() -> SecretFiles.write(file, "second".getBytes(StandardCharsets.US_ASCII), false))
                .hasMessageContaining("appeared meanwhile");
        assertThat(new String(SecretFiles.read(file), StandardCharsets.US_ASCII)).isEqualTo("first");
        try (var left = Files.list(file.getParent())) {
            assertThat(left).as("no temporary file left behind").containsExactly(file);
        }
    }

    @Test
    void a_secret_others_may_read_or_anyone_else_change_is_refused() throws Exception {
        Path file = dir.resolve("open.key");
        Files.writeString(file, "key");
        for (String open : new String[] {"rw-r--r--", "rw----r--", "rw-rw----", "rw-----w-"}) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(open));
            assertThatThrownBy(() -> SecretFiles.read(file)).as(open).hasMessageContaining("open to others");
        }
        // a Kubernetes secret volume: readable through the pod's fsGroup only
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r-----"));
        assertThat(SecretFiles.read(file)).isNotEmpty();
    }
}
