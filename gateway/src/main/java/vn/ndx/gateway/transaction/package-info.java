/** Transaction identity (a time-ordered id per call) and the one metadata event per transaction. */
@NullMarked
package vn.ndx.gateway.transaction;

import org.jspecify.annotations.NullMarked;
