/** Records nobody acknowledged within their channel's retention: expired as EXPIRY transactions. */
@NullMarked
package vn.ndx.exchange.expiry;

import org.jspecify.annotations.NullMarked;
