/** Brokers records between agency systems over Kafka: accepted only once durable, held until the recipient acknowledges. */
@NullMarked
package vn.ndx.exchange;

import org.jspecify.annotations.NullMarked;
