package vn.ndx.exchange.snapshot;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/** What a part of the exchange writes into a snapshot; read back in the same order by {@link SnapshotInput}. */
public final class SnapshotOutput {

    private final DataOutputStream out;

    SnapshotOutput(DataOutputStream out) {
        this.out = out;
    }

    /** One write to the stream; its I/O failure is unchecked, so the parts' writers stay plain lambdas. */
    private interface Write {
        void to(DataOutputStream out) throws IOException;
    }

    private void write(Write write) {
        try {
            write.to(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void writeInt(int value) {
        write(out -> out.writeInt(value));
    }

    public void writeLong(long value) {
        write(out -> out.writeLong(value));
    }

    public void writeByte(int value) {
        write(out -> out.writeByte(value));
    }

    public void writeString(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        writeInt(bytes.length);
        write(out -> out.write(bytes));
    }

    public void writeNullableString(@Nullable String value) {
        if (value == null) {
            writeInt(-1);
        } else {
            writeString(value);
        }
    }

    public void writeInstant(Instant value) {
        writeLong(value.getEpochSecond());
        writeInt(value.getNano());
    }

    public void writeNullableInstant(@Nullable Instant value) {
        writeByte(value == null ? 0 : 1);
        if (value != null) {
            writeInstant(value);
        }
    }
}
