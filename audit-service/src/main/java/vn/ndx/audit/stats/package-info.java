/** Statistics as the government publishes them: totals per Asia/Ho_Chi_Minh calendar day. */
@NullMarked
package vn.ndx.audit.stats;

import org.jspecify.annotations.NullMarked;
