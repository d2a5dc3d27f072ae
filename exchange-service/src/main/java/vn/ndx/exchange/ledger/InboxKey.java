package vn.ndx.exchange.ledger;

import vn.ndx.contract.ServiceAddress;

/** An inbox is a channel of the recipient system that owns it. */
public record InboxKey(String agency, String system, String channel) {

    public ServiceAddress address() {
        return new ServiceAddress(agency, system, channel);
    }
}
