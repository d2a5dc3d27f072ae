package vn.ndx.contract;

/**
 * Kafka topics of the backbone. Each topic is declared (partitions, compaction) by the one service that
 * writes it; docs/architecture.md explains the partition counts.
 */
public final class Topics {

    /** Registry snapshots, compacted, one partition: the data plane's replicated view of who may do what. */
    public static final String REGISTRY = "ndx.registry";

    /**
     * The registry's system of record: every version of the whole registry, secret hashes included,
     * compacted, one partition, written by the registry alone (in the same Kafka transaction as the
     * public {@link #REGISTRY} snapshot and the {@link #REGISTRY_CHANGES} events). Readable by the
     * registry only.
     */
    public static final String REGISTRY_STATE = "ndx.registry-state";

    /** One {@link RegistryChange} per administrative change: who changed what, when. */
    public static final String REGISTRY_CHANGES = "ndx.registry-changes";

    /**
     * One {@link TransactionEvent} per query and per refused or failed record submission. The gateway's events
     * carry no key (batched into one partition at a time); the exchange's are keyed by transaction id. No reader
     * may rely on the key or the partition: audit absorbs duplicates by transaction id.
     */
    public static final String TRANSACTIONS = "ndx.transactions";

    /**
     * Accepted records, keyed by sender system and channel so one sender's records to one channel keep their order.
     * Each record carries its {@link TransactionEvent} in the {@link Headers#TRANSACTION_EVENT} header, so a
     * record and its event are written in one acknowledged write.
     */
    public static final String RECORDS = "ndx.records";

    /** Delivery state changes of records (acknowledged by the recipient), keyed by transaction id. */
    public static final String RECORD_STATUS = "ndx.record-status";

    /**
     * The generation of each push channel's secret (the secret itself is derived, never stored), keyed by
     * channel, compacted, one partition: written and read by the exchange alone.
     */
    public static final String PUSH_SECRETS = "ndx.push-secrets";

    private Topics() {
    }
}
