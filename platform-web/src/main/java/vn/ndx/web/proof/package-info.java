/** The key a service checks the gateway's proofs with: one setting for servlet and reactive services alike. */
@NullMarked
package vn.ndx.web.proof;

import org.jspecify.annotations.NullMarked;
