/** Turns every refusal and failure into RFC 9457 problem+json with a stable code and the transaction id. */
@NullMarked
package vn.ndx.gateway.problem;

import org.jspecify.annotations.NullMarked;
