/** Where each record is on its way to its recipient, for its sender and recipient to see. */
@NullMarked
package vn.ndx.exchange.status;

import org.jspecify.annotations.NullMarked;
