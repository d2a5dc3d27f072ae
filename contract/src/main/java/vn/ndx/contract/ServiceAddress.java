package vn.ndx.contract;

import java.util.Objects;

/**
 * A service by where it lives: its provider agency's code, the provider system's code and the service's
 * own code, written {@code agency/system/service} wherever one string names it (a limit override's key, a
 * circuit breaker's name, an assertion's audience, a push channel in a signature, a change event's subject).
 */
public record ServiceAddress(String agency, String system, String service) {

    public ServiceAddress {
        Objects.requireNonNull(agency, "agency");
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(service, "service");
    }

    /** {@code agency/system/service}. */
    @Override
    public String toString() {
        return agency + "/" + system + "/" + service;
    }
}
