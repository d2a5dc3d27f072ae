/** The exchange's local, replicated view of the registry's channels. */
@NullMarked
package vn.ndx.exchange.registry;

import org.jspecify.annotations.NullMarked;
