/** Who may exchange what: agencies, their systems and services, grants and clients; the source of truth the data plane replicates. */
@NullMarked
package vn.ndx.registry;

import org.jspecify.annotations.NullMarked;
