package vn.ndx.gateway.listener;

import java.util.Objects;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The plain HTTP port beside the HTTPS front door, for local demos and tools that speak no TLS.
 *
 * @param enabled whether it listens at all; the Kubernetes manifests turn it off
 * @param address where it listens: loopback, so that nothing off this machine reaches it unencrypted
 * @param port    its port; 0 takes a free one
 */
@ConfigurationProperties(PlainHttpProperties.PREFIX)
record PlainHttpProperties(boolean enabled, String address, int port) {

    static final String PREFIX = "ndx.gateway.plain-http";

    PlainHttpProperties {
        Objects.requireNonNull(address, PREFIX + ".address must be set");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(PREFIX + ".port must be between 0 and 65535");
        }
    }
}
