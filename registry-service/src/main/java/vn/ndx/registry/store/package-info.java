/** Where the registry is kept: a JSON file in this slice, seeded with the demo registry on first start. */
@NullMarked
package vn.ndx.registry.store;

import org.jspecify.annotations.NullMarked;
