/** Who the caller is: access tokens verified locally against the registry's replicated keys. */
@NullMarked
package vn.ndx.gateway.auth;

import org.jspecify.annotations.NullMarked;
