/** Turns every error into RFC 9457 problem+json with a stable code. */
@NullMarked
package vn.ndx.audit.problem;

import org.jspecify.annotations.NullMarked;
