/** The one way a service runs a background task: {@link vn.ndx.web.loop.PeriodicLoop}. */
@NullMarked
package vn.ndx.web.loop;

import org.jspecify.annotations.NullMarked;
