/** The gateway's local, replicated view of the registry: policy decisions never call another service. */
@NullMarked
package vn.ndx.gateway.registry;

import org.jspecify.annotations.NullMarked;
