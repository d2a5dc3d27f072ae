package vn.ndx.exchange.record;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import vn.ndx.exchange.ExchangeProperties;
import vn.ndx.exchange.snapshot.SnapshotInput;
import vn.ndx.exchange.snapshot.SnapshotOutput;

/**
 * The {@code Idempotency-Key}s senders gave their records, per sender system, for the idempotency window.
 * A key travels in its record's Kafka headers, so the exchange rebuilds this from Kafka at every start and
 * a retry after a restart still finds the first submission. A key is claimed before its record is written
 * and released if the write fails, so two concurrent submissions with one key never both store a record.
 */
@Component
public class IdempotencyKeys {

    /** What a submission with a key may do. */
    sealed interface Claim {
        /** The key is new: write the record, then {@link #remember} or {@link #release}. */
        record Granted() implements Claim {
        }

        /** The key was used for this same payload: answer with the first transaction id. */
        record Replay(String transactionId) implements Claim {
        }

        /** The key was used for another payload. */
        record Reused() implements Claim {
        }

        /** A submission with this key is being written right now. */
        record InFlight() implements Claim {
        }
    }

    private record Entry(@Nullable String transactionId, String digest, Instant acceptedAt) {
    }

    private final Duration window;
    private final Map<String, Entry> entries = new LinkedHashMap<>();

    IdempotencyKeys(ExchangeProperties properties) {
        this.window = properties.idempotencyWindow();
    }

    public static String scoped(String senderAgency, String senderSystem, String key) {
        return senderAgency + "/" + senderSystem + "\n" + key;
    }

    synchronized Claim claim(String scopedKey, String digest) {
        forgetExpired();
        Entry known = entries.get(scopedKey);
        if (known == null) {
            entries.put(scopedKey, new Entry(null, digest, Instant.now()));
            return new Claim.Granted();
        }
        if (known.transactionId() == null) {
            return new Claim.InFlight();
        }
        return known.digest().equals(digest) ? new Claim.Replay(known.transactionId()) : new Claim.Reused();
    }

    synchronized void release(String scopedKey) {
        Entry known = entries.get(scopedKey);
        if (known != null && known.transactionId() == null) {
            entries.remove(scopedKey);
        }
    }

    /** A record with a key was accepted: here, or (read back from Kafka) by this or an earlier instance. */
    public synchronized void remember(String scopedKey, String transactionId, String digest, Instant acceptedAt) {
        if (acceptedAt.plus(window).isBefore(Instant.now())) {
            return;
        }
        Entry known = entries.get(scopedKey);
        if (known == null || known.transactionId() == null) {
            entries.remove(scopedKey); // re-inserted last: the map stays in order of acceptance
            entries.put(scopedKey, new Entry(transactionId, digest, acceptedAt));
        }
    }

    /** The keys of accepted records, for a snapshot; claims in flight are not: their writers do not outlive a restart. */
    public void writeTo(SnapshotOutput out) {
        List<Map.Entry<String, Entry>> accepted;
        synchronized (this) { // copied under the lock, written after it: submissions claim keys on event loops
            forgetExpired();
            accepted = entries.entrySet().stream().filter(entry -> entry.getValue().transactionId() != null)
                    .map(entry -> Map.entry(entry.getKey(), entry.getValue())).toList();
        }
        out.writeInt(accepted.size());
        for (var entry : accepted) {
            out.writeString(entry.getKey());
            out.writeNullableString(entry.getValue().transactionId());
            out.writeString(entry.getValue().digest());
            out.writeInstant(entry.getValue().acceptedAt());
        }
    }

    /** Replaces every key held by what {@link #writeTo} wrote, but those whose window has passed since. */
    public synchronized void readFrom(SnapshotInput in) {
        clear();
        for (int i = in.readCount(); i > 0; i--) {
            String key = in.readString();
            String transactionId = in.readNullableString();
            String digest = in.readString();
            Instant acceptedAt = in.readInstant();
            if (transactionId != null) {
                remember(key, transactionId, digest, acceptedAt);
            }
        }
    }

    /** Forgets every key of an accepted record (claims in flight stay with their writers): what a rebuild starts from. */
    public synchronized void clear() {
        entries.values().removeIf(entry -> entry.transactionId() != null);
    }

    private void forgetExpired() {
        Instant horizon = Instant.now().minus(window);
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
            Entry entry = it.next();
            if (entry.acceptedAt().isAfter(horizon)) {
                return;
            }
            if (entry.transactionId() != null) {
                it.remove();
            }
        }
    }
}
