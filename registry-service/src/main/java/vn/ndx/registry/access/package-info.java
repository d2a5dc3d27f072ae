/**
 * Access requests: an agency's administrator asks for another agency's service, with a purpose and a legal
 * basis, and the provider's administrators approve (which creates the grant), narrow or refuse it.
 */
@NullMarked
package vn.ndx.registry.access;

import org.jspecify.annotations.NullMarked;
