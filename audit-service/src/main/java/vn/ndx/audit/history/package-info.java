/** Totals from before the platform, imported from CSV and marked imported: a deployment carries its history. */
@NullMarked
package vn.ndx.audit.history;

import org.jspecify.annotations.NullMarked;
