/** The front door: every agency call enters here, is authenticated, authorized, traced and routed. */
@NullMarked
package vn.ndx.gateway;

import org.jspecify.annotations.NullMarked;
