/**
 * The gateway's proof to the platform's internal services (registry, exchange, audit) that a call comes
 * from it: without one, those services refuse the identity headers the gateway sets.
 */
@NullMarked
package vn.ndx.gateway.proof;

import org.jspecify.annotations.NullMarked;
