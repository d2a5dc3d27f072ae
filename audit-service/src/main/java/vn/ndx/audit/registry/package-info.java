/** The registry's change log as audit keeps it: who changed what, when, kept with the transactions. */
@NullMarked
package vn.ndx.audit.registry;

import org.jspecify.annotations.NullMarked;
