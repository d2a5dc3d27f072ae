/**
 * The tamper-evident log: every counted transaction's metadata linked into one SHA-256 hash chain in
 * counting order, a root per day of counting for publication, and the verification that recomputes it.
 */
@NullMarked
package vn.ndx.audit.chain;

import org.jspecify.annotations.NullMarked;
