/**
 * What the gateway knows of the call in progress: its transaction (id, start, outcome so far), its
 * authenticated caller, and what the route filters learn in their order ({@link vn.ndx.gateway.call.Call}).
 * Filters, problem responses and transaction events all read it; it depends on none of them.
 */
@NullMarked
package vn.ndx.gateway.call;

import org.jspecify.annotations.NullMarked;
