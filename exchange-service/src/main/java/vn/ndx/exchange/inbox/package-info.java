/**
 * Delivery to a recipient system: its inboxes (pull, acknowledge, redelivery after a visibility timeout),
 * signed push to channels registered with an address, dead letters, and every state change as an event;
 * all rebuilt from Kafka at start.
 */
@NullMarked
package vn.ndx.exchange.inbox;

import org.jspecify.annotations.NullMarked;
