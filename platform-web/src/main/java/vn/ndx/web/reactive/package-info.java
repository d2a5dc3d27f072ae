/** The reactive services' problem+json. */
@NullMarked
package vn.ndx.web.reactive;

import org.jspecify.annotations.NullMarked;
