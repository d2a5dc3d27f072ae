/**
 * What a recipient system does with its inboxes (pull with long polling, acknowledge, read and redrive its
 * dead letters), what operators see of them, and the inbox gauges; all read from and written through the
 * record ledger.
 */
@NullMarked
package vn.ndx.exchange.inbox;

import org.jspecify.annotations.NullMarked;
