package vn.ndx.exchange.ledger;

/** A record past its inbox's retention, waiting or a dead letter. */
public record Expiring(InboxKey inbox, InboxRecord record) {
}
