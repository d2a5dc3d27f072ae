/**
 * Where the gateway may connect on an agency's behalf: checked again on every connection, on the address it
 * connects to, whatever the registry accepted before.
 */
@NullMarked
package vn.ndx.gateway.egress;

import org.jspecify.annotations.NullMarked;
