/** The service catalogue: what services agencies offer on the platform, for systems looking for data. */
@NullMarked
package vn.ndx.registry.catalogue;

import org.jspecify.annotations.NullMarked;
