/** Publishes the registry to Kafka so gateways and exchanges decide locally and survive a registry outage. */
@NullMarked
package vn.ndx.registry.replication;

import org.jspecify.annotations.NullMarked;
