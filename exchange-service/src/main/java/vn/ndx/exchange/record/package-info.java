/** Accepting a record: validation at the door, then one acknowledged Kafka write carrying the record and its transaction event. */
@NullMarked
package vn.ndx.exchange.record;

import org.jspecify.annotations.NullMarked;
