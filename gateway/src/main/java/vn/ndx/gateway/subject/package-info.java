/** Citizens whose personal data a call concerns: validated at the door, kept only as a keyed digest. */
@NullMarked
package vn.ndx.gateway.subject;

import org.jspecify.annotations.NullMarked;
