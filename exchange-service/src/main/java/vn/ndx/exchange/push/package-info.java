/**
 * Signed push to channels registered with an address: one instance per channel (shared out through a
 * consumer group), retries with backoff, dead letters after the set attempts, each recipient's own rotated
 * secret, and every connection's address checked against the agency's egress rules.
 */
@NullMarked
package vn.ndx.exchange.push;

import org.jspecify.annotations.NullMarked;
