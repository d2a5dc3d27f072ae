/** A recipient system's inbox: pull, acknowledge, and redelivery after a visibility timeout; rebuilt from Kafka at start. */
@NullMarked
package vn.ndx.exchange.inbox;

import org.jspecify.annotations.NullMarked;
