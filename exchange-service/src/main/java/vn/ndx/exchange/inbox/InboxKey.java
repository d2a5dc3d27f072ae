package vn.ndx.exchange.inbox;

import vn.ndx.contract.ServiceAddress;

/** An inbox is a channel of the recipient system that owns it. */
record InboxKey(String agency, String system, String channel) {

    ServiceAddress address() {
        return new ServiceAddress(agency, system, channel);
    }
}
