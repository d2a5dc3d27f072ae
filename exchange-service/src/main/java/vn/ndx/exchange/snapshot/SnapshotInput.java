package vn.ndx.exchange.snapshot;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A snapshot's content, checked already: whatever it holds was written by {@link SnapshotOutput}. A read
 * past its end or a length that cannot be is a {@link Damaged}, never a half-read value.
 */
public final class SnapshotInput {

    /** The content does not read as a snapshot of this version: the exchange rebuilds from the beginning. */
    public static final class Damaged extends RuntimeException {
        public Damaged(String message) {
            super(message);
        }
    }

    private final ByteBuffer in;

    SnapshotInput(ByteBuffer in) {
        this.in = in;
    }

    public int readInt() {
        return need(Integer.BYTES).getInt();
    }

    /** A count of entries that follow: never negative, never more than the bytes left could hold. */
    public int readCount() {
        int count = readInt();
        if (count < 0 || count > in.remaining()) {
            throw new Damaged("a count of " + count + " with " + in.remaining() + " bytes left");
        }
        return count;
    }

    public long readLong() {
        return need(Long.BYTES).getLong();
    }

    public byte readByte() {
        return need(1).get();
    }

    public String readString() {
        String value = readNullableString();
        if (value == null) {
            throw new Damaged("a missing text");
        }
        return value;
    }

    /** A name that repeats across many entries (an agency, a system, a channel): one instance of each. */
    public String readName() {
        return readString().intern();
    }

    public @Nullable String readNullableString() {
        int length = readInt();
        if (length == -1) {
            return null;
        }
        if (length < 0 || length > in.remaining()) {
            throw new Damaged("a text of " + length + " bytes with " + in.remaining() + " left");
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    public Instant readInstant() {
        long seconds = readLong();
        int nanos = readInt();
        try {
            return Instant.ofEpochSecond(seconds, nanos);
        } catch (java.time.DateTimeException e) {
            throw new Damaged("an instant out of range");
        }
    }

    public @Nullable Instant readNullableInstant() {
        return readByte() == 0 ? null : readInstant();
    }

    /** The content, with {@code bytes} more to read in it; a read past its end is damage, not an exception of the buffer's. */
    private ByteBuffer need(int bytes) {
        if (in.remaining() < bytes) {
            throw new Damaged("ends early");
        }
        return in;
    }

    boolean atEnd() {
        return !in.hasRemaining();
    }
}
