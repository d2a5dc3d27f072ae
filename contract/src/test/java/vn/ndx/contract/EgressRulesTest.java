package vn.ndx.contract;

import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EgressRulesTest {

    @Test
    void the_platforms_own_and_private_addresses_are_restricted_and_public_ones_are_not() throws Exception {
        for (String address : List.of("127.0.0.1", "127.8.9.10", "::1", "169.254.169.254", "fe80::1", "10.1.2.3", "172.16.0.1",
                "172.31.255.255", "192.168.1.1", "100.64.0.1", "100.127.255.254", "fc00::1", "fd12:3456::1", "0.0.0.0", "::",
                "224.0.0.1", "::ffff:127.0.0.1")) {
            assertThat(EgressRules.restricted(InetAddress.getByName(address))).as(address).isPresent();
        }
        for (String address : List.of("8.8.8.8", "203.0.113.10", "172.32.0.1", "100.128.0.1", "2001:db8::1", "14.160.0.1")) {
            assertThat(EgressRules.restricted(InetAddress.getByName(address))).as(address).isEmpty();
        }
    }

    @Test
    void an_allowance_opens_its_networks_and_plain_http_and_nothing_else() throws Exception {
        var allowance = new RegistrySnapshot.Egress("000.00.18.G12", true, List.of("10.20.0.0/16", "127.0.0.1"));
        assertThat(EgressRules.permitted(InetAddress.getByName("10.20.3.4"), allowance)).isTrue();
        assertThat(EgressRules.permitted(InetAddress.getByName("10.21.3.4"), allowance)).isFalse();
        assertThat(EgressRules.permitted(InetAddress.getByName("127.0.0.1"), allowance)).isTrue();
        assertThat(EgressRules.permitted(InetAddress.getByName("127.0.0.2"), allowance)).isFalse();
        assertThat(EgressRules.permitted(InetAddress.getByName("169.254.169.254"), null)).isFalse();

        assertThat(EgressRules.problem("http://10.20.0.5:8080/tax", allowance)).isEmpty();
        assertThat(EgressRules.problem("http://203.0.113.10/", null)).hasValueSatisfying(p -> assertThat(p).contains("https"));
        assertThat(EgressRules.problem("https://169.254.169.254/latest/meta-data", allowance)).hasValueSatisfying(p -> assertThat(p).contains("link-local"));
        assertThat(EgressRules.problem("https://[::1]:8082/", null)).hasValueSatisfying(p -> assertThat(p).contains("loopback"));
        assertThat(EgressRules.problem("https://user:pass@203.0.113.10/", null)).isPresent();
        assertThat(EgressRules.problem("https://203.0.113.10/x#y", null)).isPresent();
        assertThat(EgressRules.problem("ftp://203.0.113.10/", allowance)).isPresent();
        assertThat(EgressRules.problem("https://203.0.113.10:8443/tax", null)).isEmpty();
    }

    @Test
    void networks_are_addresses_in_cidr_notation_never_names() {
        assertThat(Cidr.parse("10.0.0.0/8").contains(addressOf("10.255.0.1"))).isTrue();
        assertThat(Cidr.parse("fc00::/7").contains(addressOf("fdff::1"))).isTrue();
        assertThat(Cidr.parse("fc00::/7").contains(addressOf("10.0.0.1"))).isFalse();
        assertThat(Cidr.parse("192.168.1.0/25").contains(addressOf("192.168.1.127"))).isTrue();
        assertThat(Cidr.parse("192.168.1.0/25").contains(addressOf("192.168.1.128"))).isFalse();
        for (String bad : List.of("10.0.0.0/33", "tax.example", "10.0.0.0/x", "", "/8")) {
            assertThatThrownBy(() -> Cidr.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> new RegistrySnapshot.Egress("000.00.18.G12", false, List.of("localhost")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static InetAddress addressOf(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
