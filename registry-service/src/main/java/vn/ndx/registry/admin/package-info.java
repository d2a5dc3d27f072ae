/** The administration API: agencies, systems, services, grants and clients, changed by scoped administrators. */
@NullMarked
package vn.ndx.registry.admin;

import org.jspecify.annotations.NullMarked;
