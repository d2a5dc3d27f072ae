/** Route filters: authentication, grant checks and provider upstreams, named for their YAML shortcuts. */
@NullMarked
package vn.ndx.gateway.route;

import org.jspecify.annotations.NullMarked;
