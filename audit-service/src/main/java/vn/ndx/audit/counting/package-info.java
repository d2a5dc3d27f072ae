/** Exactly-once counting: events, their dedup log, the totals and the Kafka offsets change in one database transaction. */
@NullMarked
package vn.ndx.audit.counting;

import org.jspecify.annotations.NullMarked;
