package vn.ndx.gateway.call;

import java.time.Instant;

import org.jspecify.annotations.Nullable;
import org.springframework.web.server.ServerWebExchange;

/**
 * What the gateway knows of the call in flight, kept as an exchange attribute: filled in by the filters
 * as they learn who calls whom, read once at the end to emit the transaction event.
 */
public final class Transaction {

    private static final String ATTRIBUTE = Transaction.class.getName();

    private final String id;
    private final Instant startedAt;
    private final long startedNanos;
    private @Nullable String consumerAgency;
    private @Nullable String consumerSystem;
    private @Nullable String clientId;
    private @Nullable String providerAgency;
    private @Nullable String providerSystem;
    private @Nullable String service;
    private @Nullable String problemCode;

    public Transaction(String id, Instant startedAt, long startedNanos) {
        this.id = id;
        this.startedAt = startedAt;
        this.startedNanos = startedNanos;
    }

    public static void attach(ServerWebExchange exchange, Transaction transaction) {
        exchange.getAttributes().put(ATTRIBUTE, transaction);
    }

    /** The transaction of this call; every request has one, set by {@link TransactionIdFilter}. */
    public static Transaction of(ServerWebExchange exchange) {
        return exchange.getRequiredAttribute(ATTRIBUTE);
    }

    public static @Nullable String idOf(ServerWebExchange exchange) {
        Transaction transaction = exchange.getAttribute(ATTRIBUTE);
        return transaction == null ? null : transaction.id;
    }

    public String id() {
        return id;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public long elapsedMicros() {
        return (System.nanoTime() - startedNanos) / 1_000;
    }

    public void consumer(String agency, String system, String client) {
        this.consumerAgency = agency;
        this.consumerSystem = system;
        this.clientId = client;
    }

    /** Records the target as far as the registry knows it: unknown names never reach the statistics. */
    public void provider(@Nullable String agency, @Nullable String system, @Nullable String service) {
        this.providerAgency = agency;
        this.providerSystem = system;
        this.service = service;
    }

    public void problem(String code) {
        this.problemCode = code;
    }

    public @Nullable String consumerAgency() {
        return consumerAgency;
    }

    public @Nullable String consumerSystem() {
        return consumerSystem;
    }

    public @Nullable String clientId() {
        return clientId;
    }

    public @Nullable String providerAgency() {
        return providerAgency;
    }

    public @Nullable String providerSystem() {
        return providerSystem;
    }

    public @Nullable String service() {
        return service;
    }

    public @Nullable String problemCode() {
        return problemCode;
    }
}
