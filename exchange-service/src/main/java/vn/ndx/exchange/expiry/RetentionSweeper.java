package vn.ndx.exchange.expiry;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import vn.ndx.contract.Outcome;
import vn.ndx.contract.RegistrySnapshot.Service;
import vn.ndx.contract.Topics;
import vn.ndx.contract.TransactionEvent;
import vn.ndx.contract.TransactionKind;
import vn.ndx.web.loop.PeriodicLoop;
import vn.ndx.exchange.ExchangeProperties;
import vn.ndx.exchange.ledger.DeliveryEvents;
import vn.ndx.exchange.ledger.Expiring;
import vn.ndx.exchange.ledger.InboxKey;
import vn.ndx.exchange.ledger.InboxRecord;
import vn.ndx.exchange.ledger.RecordLedger;
import vn.ndx.exchange.ledger.RecordStates;
import vn.ndx.exchange.ledger.RecordStatus;
import vn.ndx.exchange.ledger.State;
import vn.ndx.exchange.registry.RegistryView;

/**
 * Ends the wait of records nobody acknowledged within their channel's retention: each becomes EXPIRED (a
 * status event, from which every instance drops it from its inbox) and an EXPIRY transaction (so the
 * statistics show records that never arrived, per agency and channel).
 *
 * <p>The expiry's transaction id and start are derived from the record alone (its id and its deadline),
 * so two instances expiring the same record, or one repeating itself after a crash, emit the same
 * transaction: audit counts it once.
 */
@Component
class RetentionSweeper extends PeriodicLoop {

    private static final Logger log = LoggerFactory.getLogger(RetentionSweeper.class);
    private static final int MAX_PER_SWEEP = 10_000;

    private final RecordLedger ledger;
    private final RegistryView registry;
        private final DeliveryEvents events;
    private final KafkaTemplate<String, byte[]> kafka;
    private final JsonMapper json;
    private final MeterRegistry meters;
    private final ExchangeProperties.Retention settings;

    RetentionSweeper(RecordLedger ledger, RegistryView registry, DeliveryEvents events,
                     KafkaTemplate<String, byte[]> kafka, JsonMapper json, MeterRegistry meters, ExchangeProperties properties) {
        super("retention-sweeper", properties.retention().sweepInterval(), meters);
        this.ledger = ledger;
        this.registry = registry;
                this.events = events;
        this.kafka = kafka;
        this.json = json;
        this.meters = meters;
        this.settings = properties.retention();
    }

    @Override
    protected void runOnce() {
        sweep();
    }

    /** On its own thread: waiting here for the broker holds up no request. */
    void sweep() {
        try {
            for (Expiring expiring : ledger.pastRetention(Instant.now(), this::retentionOf, MAX_PER_SWEEP)) {
                expire(expiring.inbox(), expiring.record());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | ExecutionException | TimeoutException e) {
            log.warn("Expiring records failed; the next sweep tries again: {}", e.toString());
        }
    }

    private Duration retentionOf(InboxKey inbox) {
        Service channel = registry.channel(inbox.agency(), inbox.system(), inbox.channel());
        return channel == null || channel.retention() == null ? settings.standard() : channel.retention();
    }

    private void expire(InboxKey inbox, InboxRecord record) throws InterruptedException, ExecutionException, TimeoutException {
        Instant deadline = record.acceptedAt().plus(retentionOf(inbox));
        RecordStates.View view = ledger.view(record.transactionId());
        var status = new RecordStatus(record.transactionId(), State.EXPIRED, deadline,
                view == null ? null : view.deliveries(), view == null ? null : view.lastError());
        var event = new TransactionEvent(expiryId(record.transactionId(), deadline), TransactionKind.EXPIRY, deadline, 0,
                record.senderAgency(), record.senderSystem(), null, inbox.agency(), inbox.system(), inbox.channel(),
                "EXPIRE", 410, Outcome.EXPIRED, null, record.size(), 0, "exchange", null, null);
        // the transaction first: should the status fail, the next sweep repeats both and audit still counts one
        kafka.send(Topics.TRANSACTIONS, event.transactionId(), json.writeValueAsBytes(event)).get(30, TimeUnit.SECONDS);
        events.expired(status).block(Duration.ofSeconds(30)); // this sweeper's own thread, never an event loop
        meters.counter("ndx.exchange.records.expired", "recipient_agency", inbox.agency()).increment();
    }

    /**
     * A version 7 UUID whose time is the deadline and whose other bits come from the record's id: sorted
     * by time like every transaction id, and the same whoever computes it.
     */
    static String expiryId(String recordId, Instant deadline) {
        byte[] bits;
        try {
            bits = MessageDigest.getInstance("SHA-256").digest(("ndx-expiry:" + recordId).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        ByteBuffer buffer = ByteBuffer.wrap(bits);
        long high = (deadline.toEpochMilli() << 16) | (buffer.getShort(0) & 0x0fffL) | 0x7000L;
        long low = (buffer.getLong(8) & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }
}
