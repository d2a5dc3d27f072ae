/** Counts every transaction of the platform exactly once, per Vietnamese calendar day, and answers operators' questions. */
@NullMarked
package vn.ndx.audit;

import org.jspecify.annotations.NullMarked;
