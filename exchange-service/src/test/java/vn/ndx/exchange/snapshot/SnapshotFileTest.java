package vn.ndx.exchange.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A snapshot reads back exactly as written, or not at all. */
class SnapshotFileTest {

    @TempDir
    Path directory;

    @Test
    void what_is_written_reads_back_and_only_its_owner_may_read_it() throws Exception {
        var file = new SnapshotFile(directory.resolve("state").resolve("inboxes.snapshot"), 1);
        Instant at = Instant.parse("2026-12-06T01:02:03.456789012Z");
        file.write(out -> {
            out.writeString("000.00.00.H29");
            out.writeNullableString(null);
            out.writeInstant(at);
            out.writeNullableInstant(null);
            out.writeLong(-7);
        });

        var in = file.read().orElseThrow();
        assertThat(in.readName()).isSameAs("000.00.00.H29".intern());
        assertThat(in.readNullableString()).isNull();
        assertThat(in.readInstant()).isEqualTo(at);
        assertThat(in.readNullableInstant()).isNull();
        assertThat(in.readLong()).isEqualTo(-7);
        SnapshotFile.requireEnd(in);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.path()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.path().getParent()))).isEqualTo("rwx------");
        assertThat(Files.exists(file.path().resolveSibling("inboxes.snapshot.next"))).as("nothing left beside it").isFalse();
    }

    @Test
    void none_yet_is_empty() throws Exception {
        assertThat(new SnapshotFile(directory.resolve("inboxes.snapshot"), 1).read()).isEmpty();
    }

    @Test
    void one_byte_changed_anywhere_refuses_it_whole() throws Exception {
        var file = written();
        byte[] bytes = Files.readAllBytes(file.path());
        for (int i = 0; i < bytes.length; i++) {
            byte[] damaged = bytes.clone();
            damaged[i] ^= 0x10;
            Files.write(file.path(), damaged);
            assertThatThrownBy(file::read).as("byte %d changed", i).isInstanceOf(SnapshotInput.Damaged.class);
        }
    }

    @Test
    void one_cut_short_or_of_another_version_is_refused() throws Exception {
        var file = written();
        byte[] bytes = Files.readAllBytes(file.path());
        Files.write(file.path(), java.util.Arrays.copyOf(bytes, bytes.length - 3));
        assertThatThrownBy(file::read).isInstanceOf(SnapshotInput.Damaged.class);

        written();
        assertThatThrownBy(() -> new SnapshotFile(file.path(), 2).read()).isInstanceOf(SnapshotInput.Damaged.class)
                .hasMessageContaining("version 1");
    }

    @Test
    void a_reader_asking_for_more_than_was_written_gets_damaged_not_garbage() throws Exception {
        var in = written().read().orElseThrow();
        in.readString();
        assertThatThrownBy(in::readLong).isInstanceOf(SnapshotInput.Damaged.class);
    }

    private SnapshotFile written() throws Exception {
        var file = new SnapshotFile(directory.resolve("inboxes.snapshot"), 1);
        file.write(out -> out.writeString("inbox"));
        return file;
    }
}
