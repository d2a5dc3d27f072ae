/** How long the detailed log is kept; aggregated statistics are kept forever. */
@NullMarked
package vn.ndx.audit.retention;

import org.jspecify.annotations.NullMarked;
