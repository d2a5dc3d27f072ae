/**
 * The wire contract of the platform: what gateway, registry, exchange and audit must agree on, and
 * nothing else. Records here travel as JSON on Kafka or over HTTP between services.
 */
@NullMarked
package vn.ndx.contract;

import org.jspecify.annotations.NullMarked;
