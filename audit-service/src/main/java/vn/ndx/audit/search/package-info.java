/** Single transactions from the detailed log, by id or by agency, service, outcome and time. */
@NullMarked
package vn.ndx.audit.search;

import org.jspecify.annotations.NullMarked;
