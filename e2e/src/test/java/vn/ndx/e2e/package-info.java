/** The packaged platform, started by {@code deploy/run}, tested from outside as an agency system would use it. */
@NullMarked
package vn.ndx.e2e;

import org.jspecify.annotations.NullMarked;
