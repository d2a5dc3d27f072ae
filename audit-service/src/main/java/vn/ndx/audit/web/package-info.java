/** What every audit endpoint's requests must be before a controller sees them. */
@NullMarked
package vn.ndx.audit.web;

import org.jspecify.annotations.NullMarked;
