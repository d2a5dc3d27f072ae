package vn.ndx.contract;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * Where the platform may connect on an agency's behalf (a provider's upstream, a channel's push address).
 * Public addresses over HTTPS only; plain HTTP, and addresses the platform itself or a private network
 * uses (loopback, link-local such as the cloud metadata service at 169.254.169.254, private and
 * unique-local ranges, the unspecified and multicast addresses), only where a platform administrator has
 * allowed them for that agency. Checked by the registry when an address is registered and by the data
 * plane on every connection, on the address it connects to (a name that later resolves elsewhere gains
 * nothing).
 */
public final class EgressRules {

    private EgressRules() {
    }

    /** What makes {@code address} one the platform does not reach without an allowance, or empty for a public address. */
    public static Optional<String> restricted(InetAddress address) {
        if (address.isLoopbackAddress()) {
            return Optional.of("a loopback address");
        }
        if (address.isLinkLocalAddress()) {
            return Optional.of("a link-local address (such as a cloud metadata service)");
        }
        if (address.isAnyLocalAddress()) {
            return Optional.of("the unspecified address");
        }
        if (address.isMulticastAddress()) {
            return Optional.of("a multicast address");
        }
        if (address.isSiteLocalAddress() || uniqueLocal(address) || sharedAddressSpace(address)) {
            return Optional.of("a private address");
        }
        return Optional.empty();
    }

    /** fc00::/7, IPv6's private range; Java's isSiteLocalAddress knows only the deprecated fec0::/10. */
    private static boolean uniqueLocal(InetAddress address) {
        return address instanceof Inet6Address && (address.getAddress()[0] & 0xfe) == 0xfc;
    }

    /** 100.64.0.0/10, carrier-grade NAT, inside many cloud networks. */
    private static boolean sharedAddressSpace(InetAddress address) {
        byte[] bytes = address.getAddress();
        return address instanceof Inet4Address && (bytes[0] & 0xff) == 100 && (bytes[1] & 0xc0) == 64;
    }

    /** {@code host:port} of an address to connect to, the scheme's default port made explicit: how connections name their target. */
    public static String authority(URI uri) {
        String scheme = uri.getScheme() == null ? "http" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        return String.valueOf(uri.getHost()).toLowerCase(java.util.Locale.ROOT) + ":" + port;
    }

    /** Whether {@code address} may be connected to for an agency with {@code allowance} (null: none). */
    public static boolean permitted(InetAddress address, RegistrySnapshot.@Nullable Egress allowance) {
        return restricted(address).isEmpty() || allowance != null && allowance.covers(address);
    }

    /**
     * The resolved addresses of a connection that may be connected to, given the allowances of the agencies
     * whose services name its host and port: a public one always, a restricted one where an allowance covers it.
     */
    public static <A extends java.net.SocketAddress> List<A> permittedOf(List<A> resolved,
                                                                         java.util.Collection<RegistrySnapshot.@Nullable Egress> allowances) {
        return resolved.stream().filter(address -> address instanceof java.net.InetSocketAddress inet && inet.getAddress() != null
                && (restricted(inet.getAddress()).isEmpty()
                || allowances.stream().anyMatch(allowance -> allowance != null && allowance.covers(inet.getAddress())))).toList();
    }

    /** Why {@code url} is no address to connect to for an agency with {@code allowance}, or empty when it is; resolves its host. */
    public static Optional<String> problem(String url, RegistrySnapshot.@Nullable Egress allowance) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            return Optional.of("is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("https") && !(scheme.equals("http") && allowance != null && allowance.plainHttp())) {
            return Optional.of("must be https (plain http only where a platform administrator allows it for the agency)");
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            return Optional.of("must be scheme://host[:port][/path], without user information or fragment");
        }
        List<InetAddress> addresses;
        try {
            addresses = List.of(InetAddress.getAllByName(uri.getHost()));
        } catch (UnknownHostException e) {
            return Optional.of("names a host that does not resolve");
        }
        for (InetAddress address : addresses) {
            if (!permitted(address, allowance)) {
                return Optional.of("resolves to " + restricted(address).orElseThrow() + " (" + address.getHostAddress()
                        + "), which a platform administrator has not allowed for the agency");
            }
        }
        return Optional.empty();
    }
}
