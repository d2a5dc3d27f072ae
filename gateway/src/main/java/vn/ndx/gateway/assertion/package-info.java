/**
 * The platform's word to a provider: a signed statement of which consumer system the gateway authenticated
 * and authorized for the provider's service, and the public keys to check it with.
 */
@NullMarked
package vn.ndx.gateway.assertion;

import org.jspecify.annotations.NullMarked;
