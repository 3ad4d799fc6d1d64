package io.gridchain.protocol.http;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Whether an address is on the public internet. A service that connects where a stranger says (a pool's delivery
 * target, a pool's API URL published on-chain and fetched by the explorer) must not be turned against its own
 * operator's network: loopback, the LAN, link-local cloud metadata, reserved ranges.
 */
public final class PublicAddresses {
    private PublicAddresses() {}

    /** Resolves a host name: the system's resolver in production, a fixed answer in tests. */
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /**
     * The first address {@code host} resolves to that is not public, or null when all are. {@code host} is a URI's
     * host: an IPv6 literal may keep its brackets.
     */
    public static InetAddress firstPrivate(String host, Resolver resolver) throws UnknownHostException {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        for (InetAddress a : resolver.resolve(bare)) {
            if (!isPublic(a)) return a;
        }
        return null;
    }

    public static boolean isPublic(InetAddress a) {
        if (a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress()
                || a.isMulticastAddress()) {
            return false;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            // 0/8 (this network), 100.64/10 (carrier-grade NAT), 198.18/15 (benchmarking), 240/4 (reserved)
            return first != 0 && !(first == 100 && (second & 0xc0) == 64) && !(first == 198 && (second & 0xfe) == 18)
                    && first < 240;
        }
        if (a instanceof Inet6Address v6) {
            if (v6.isIPv4CompatibleAddress()) return false;
            return (b[0] & 0xfe) != 0xfc; // fc00::/7, unique local
        }
        return false;
    }
}
