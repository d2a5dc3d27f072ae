/**
 * A local copy of what the exchange rebuilds from Kafka at start, with the offsets it covers: a restart
 * reads what came after it, not the whole retention. Written whole to a new file and moved into place,
 * checked by a CRC-32C when read; a copy that is missing, damaged or from other topics is refused, and the
 * exchange reads everything from the beginning as it would without one.
 */
@NullMarked
package vn.ndx.exchange.snapshot;

import org.jspecify.annotations.NullMarked;
