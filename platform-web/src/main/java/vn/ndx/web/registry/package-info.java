/** The registry as the data plane's readers hold it: signed snapshots only, entry by entry. */
@NullMarked
package vn.ndx.web.registry;

import org.jspecify.annotations.NullMarked;
