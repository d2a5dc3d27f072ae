/** Turns every refusal and failure into RFC 9457 problem+json with a stable code and the transaction id. */
@NullMarked
package vn.ndx.exchange.problem;

import org.jspecify.annotations.NullMarked;
