/**
 * Systems that went quiet: connections lost and nobody noticing is a known NDXP complaint. Found in the
 * transaction log by the same signal as the NdxAgencyTrafficStopped alert, per system.
 */
@NullMarked
package vn.ndx.audit.silence;

import org.jspecify.annotations.NullMarked;
