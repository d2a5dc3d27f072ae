package vn.ndx.contract;

/** What a transaction was: a synchronous query to a provider, or an asynchronous record submission. */
public enum TransactionKind {
    QUERY,
    RECORD
}
