/** The registry's signing key: private in the registry, public to everyone who checks tokens. */
@NullMarked
package vn.ndx.registry.keys;

import org.jspecify.annotations.NullMarked;
