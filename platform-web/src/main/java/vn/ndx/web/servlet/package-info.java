/** The servlet services' web layer: problem+json and query parameter checks. */
@NullMarked
package vn.ndx.web.servlet;

import org.jspecify.annotations.NullMarked;
