/**
 * Only the gateway calls the registry: every call carries the gateway's proof, or is refused before any handler sees it.
 */
@NullMarked
package vn.ndx.registry.proof;

import org.jspecify.annotations.NullMarked;
