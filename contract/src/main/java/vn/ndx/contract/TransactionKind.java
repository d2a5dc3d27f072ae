package vn.ndx.contract;

/**
 * What a transaction was: a synchronous query to a provider, an asynchronous record submission, or the
 * expiry of a record nobody acknowledged within its channel's retention (the platform's own act, counted
 * so that statistics show records that never arrived; its consumer is the record's sender, its provider
 * the recipient).
 */
public enum TransactionKind {
    QUERY,
    RECORD,
    EXPIRY
}
