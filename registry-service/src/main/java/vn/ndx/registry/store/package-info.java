/**
 * Where the registry lives: a compacted Kafka topic is its system of record, written by this service alone
 * in Kafka transactions that also publish the data plane's snapshot and the change events.
 */
@NullMarked
package vn.ndx.registry.store;

import org.jspecify.annotations.NullMarked;
