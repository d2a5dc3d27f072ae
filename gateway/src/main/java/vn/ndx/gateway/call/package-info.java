/**
 * What the gateway knows of the call in progress: its transaction (id, start, outcome so far), which every
 * filter, the problem responses and the transaction events read.
 */
@NullMarked
package vn.ndx.gateway.call;

import org.jspecify.annotations.NullMarked;
