/**
 * Only the gateway calls the audit: every call carries the gateway's proof, or is refused before any handler sees it.
 */
@NullMarked
package vn.ndx.audit.proof;

import org.jspecify.annotations.NullMarked;
