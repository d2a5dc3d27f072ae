/**
 * Only the gateway calls the exchange: every call carries the gateway's proof, or is
 * refused before any handler sees its identity headers.
 */
@NullMarked
package vn.ndx.exchange.proof;

import org.jspecify.annotations.NullMarked;
