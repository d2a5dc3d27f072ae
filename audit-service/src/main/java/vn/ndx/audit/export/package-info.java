/** Answers as CSV for operators who take figures into spreadsheets: {@code Accept: text/csv}. */
@NullMarked
package vn.ndx.audit.export;

import org.jspecify.annotations.NullMarked;
