package vn.ndx.exchange.inbox;

/** An inbox is a channel of the recipient system that owns it. */
record InboxKey(String agency, String system, String channel) {
}
