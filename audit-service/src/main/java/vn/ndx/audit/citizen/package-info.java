/**
 * A citizen's own data-access report: which agency used the citizen's data, when, for which purpose and with
 * what outcome, asked for by the national public-service portal for a citizen it authenticated.
 */
@NullMarked
package vn.ndx.audit.citizen;

import org.jspecify.annotations.NullMarked;
