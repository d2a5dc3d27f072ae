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

    public void writeInt(int value) {
        try {
            out.writeInt(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void writeLong(long value) {
        try {
            out.writeLong(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void writeByte(int value) {
        try {
            out.writeByte(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void writeString(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        writeInt(bytes.length);
        try {
            out.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
